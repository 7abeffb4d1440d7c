using System.Diagnostics;
using ServerlessMonitor.Cycle;

namespace ServerlessMonitor.Telemetry;

/// <summary>
/// Carries a probe cycle's trace across the probe-shards queue: the shard message gets the cycle's W3C
/// <c>traceparent</c>, and the span of the shard's run links back to it (and is its child when nothing else is
/// the current span), so one trace shows the cycle and every shard it fanned out to.
/// </summary>
public static class ShardTrace
{
    /// <summary>The shard with the current span's traceparent, ready to be queued.</summary>
    public static ProbeShard Stamp(ProbeShard shard)
    {
        MonitorTelemetry.ShardsQueued.Add(1);
        return Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? shard with { TraceParent = current.Id } : shard;
    }

    /// <summary>The span of one shard's run; counts the shard completed when disposed without a failure.</summary>
    public static ShardScope Start(ProbeShard shard)
    {
        ActivityContext.TryParse(shard.TraceParent, null, out var cycle);
        var links = cycle == default ? null : new[] { new ActivityLink(cycle) };
        var parent = Activity.Current is null ? cycle : default;
        var activity = MonitorTelemetry.Source.StartActivity("probe shard", ActivityKind.Consumer, parent, links: links);
        // A span the sampler only propagates (not recorded) takes no attributes: boxing them would be wasted.
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("serverlessmonitor.shard.index", shard.Index);
            activity.SetTag("serverlessmonitor.shard.count", shard.Count);
            activity.SetTag("serverlessmonitor.shard.endpoints", shard.Endpoints.Count);
        }
        return new ShardScope(activity);
    }

    /// <summary>A shard that failed every attempt.</summary>
    public static void Poisoned() => MonitorTelemetry.ShardsPoisoned.Add(1);
}

public sealed class ShardScope(Activity? activity) : IDisposable
{
    private bool _completed;

    /// <summary>The shard was probed and recorded.</summary>
    public void Completed() => _completed = true;

    public void Dispose()
    {
        if (_completed)
        {
            MonitorTelemetry.ShardsCompleted.Add(1);
        }
        else
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }
        activity?.Dispose();
    }
}
