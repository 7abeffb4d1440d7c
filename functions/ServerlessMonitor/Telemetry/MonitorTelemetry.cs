using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ServerlessMonitor.Telemetry;

/// <summary>
/// The monitor's one meter and one activity source, and the instruments that need no service to record.
/// Static, as OpenTelemetry's own instrumentation keeps them: an instrument nobody listens to costs a field read,
/// so a host without exporters pays nothing. Names and units follow OpenTelemetry's conventions (seconds,
/// <c>{unit}</c> annotations, dotted lower-case names); attributes are low-cardinality and never carry a URL or user text.
/// </summary>
public static class MonitorTelemetry
{
    public const string Name = "ServerlessMonitor";

    /// <summary>The table store's meter (<c>serverlessmonitor.storage.*</c>), published next to this one.</summary>
    public const string StorageMeterName = "ServerlessMonitor.Storage";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Histogram<double> CycleDuration = Meter.CreateHistogram<double>("serverlessmonitor.cycle.duration", "s",
        "Probe cycles from planning to publishing (or to queueing their shards)");

    public static readonly Counter<long> CyclesSkipped = Meter.CreateCounter<long>("serverlessmonitor.cycle.skipped", "{cycle}",
        "Timer ticks skipped because the previous cycle was still running");

    public static readonly Counter<long> ShardsQueued = Meter.CreateCounter<long>("serverlessmonitor.shards.queued", "{shard}",
        "Shards put on the probe-shards queue");

    public static readonly Counter<long> ShardsCompleted = Meter.CreateCounter<long>("serverlessmonitor.shards.completed", "{shard}",
        "Queued shards probed and recorded");

    public static readonly Counter<long> ShardsPoisoned = Meter.CreateCounter<long>("serverlessmonitor.shards.poisoned", "{shard}",
        "Queued shards that failed every attempt");

    /// <summary>One probe cycle as a trace; dispose it when the cycle ends (its duration is recorded then).</summary>
    public static CycleScope StartCycle() => new(Source.StartActivity("probe cycle", ActivityKind.Internal));
}

/// <summary>A probe cycle in flight: its span and its clock.</summary>
public sealed class CycleScope(Activity? activity) : IDisposable
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private bool _skipped;

    public Activity? Activity => activity;

    /// <summary>The tick found the previous cycle still running: counted as skipped, not timed.</summary>
    public void Skipped()
    {
        _skipped = true;
        MonitorTelemetry.CyclesSkipped.Add(1);
        activity?.SetTag("serverlessmonitor.cycle.skipped", true);
    }

    public void Dispose()
    {
        if (!_skipped)
        {
            MonitorTelemetry.CycleDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds);
        }
        activity?.Dispose();
    }
}
