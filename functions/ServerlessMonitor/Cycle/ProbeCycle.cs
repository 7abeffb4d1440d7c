using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Telemetry;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// One run of the ProbeTimer function: plans the cycle (which endpoints are due) as shards of
/// Monitor:ShardSize endpoints, then either runs the shards in process from a bounded channel, or — on
/// Azure Functions, when there is more than one — puts them on the probe-shards queue, where ProbeShard
/// instances pick them up and the platform scales them out.
/// </summary>
public sealed class ProbeCycle(CatalogProvider catalog, EndpointStates states, ShardRunner runner, IEnumerable<ICycleListener> listeners,
    IOptions<MonitorOptions> options, TimeProvider time, ILogger<ProbeCycle> logger, IShardQueue? queue = null)
{
    // Shards running side by side in process; they share the instance's probe slots, so this only keeps one
    // shard's slowest endpoint (a timeout, a confirmation delay) from holding the next shards back.
    private const int InProcessWorkers = 4;

    private readonly MonitorOptions _options = options.Value;
    private readonly SemaphoreSlim _running = new(1, 1);

    public async Task<ProbeCycleReport> RunAsync(CancellationToken ct)
    {
        using var trace = MonitorTelemetry.StartCycle();
        // Overlapping timer ticks (a cycle slower than the schedule) skip instead of piling up.
        if (!await _running.WaitAsync(0, ct))
        {
            trace.Skipped();
            return ProbeCycleReport.Skipped;
        }
        try
        {
            var started = time.GetTimestamp();
            var now = time.GetUtcNow();
            var inForce = catalog.Current;
            var all = inForce.AllEndpoints().ToList();
            var shards = ShardPlanner.Plan(await DueAsync(all, now, ct), now, _options.ShardSize);
            if (queue is not null && shards.Count > 1)
            {
                await queue.EnqueueAsync(shards, ct);
                logger.LogInformation("Probe cycle {Slot:O}: {Shards} shards queued", now, shards.Count);
                return ProbeCycleReport.Queued(all.Count, shards.Sum(s => s.Endpoints.Count), shards.Count, time.GetElapsedTime(started));
            }
            // In process the whole cycle is judged at once: one self-check gate, one publish at the end.
            var gate = runner.NewGate();
            var recording = new Recording();
            await RunInProcessAsync(shards, inForce, gate, recording, ct);
            var verdict = await runner.SettleAsync(gate, recording, ct);
            var (recorded, failure) = await recording.ResultAsync();
            var delivery = await runner.PublishAsync(recorded, now, ct);
            await NotifyAsync(ct);
            failure?.Throw();
            return ProbeCycleReport.From(all.Count, shards.Sum(s => s.Endpoints.Count), recorded, time.GetElapsedTime(started), delivery)
                with { LocationOffline = verdict.Offline };
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>Probes one endpoint now, whether due or not (admin "probe now").</summary>
    public Task<RecordedProbe> ProbeNowAsync(ServiceDefinition service, EndpointDefinition endpoint, CancellationToken ct) =>
        runner.ProbeNowAsync(catalog.Current, service, endpoint, time.GetUtcNow(), ct);

    /// <summary>Tells the listeners (the read snapshot) that a cycle's results are all recorded.</summary>
    public async Task NotifyAsync(CancellationToken ct)
    {
        foreach (var listener in listeners)
        {
            await listener.CycleCompletedAsync(ct);
        }
    }

    private async Task<List<(ServiceDefinition, EndpointDefinition)>> DueAsync(List<(ServiceDefinition Service, EndpointDefinition Endpoint)> all,
        DateTimeOffset now, CancellationToken ct)
    {
        // Cold start of a big catalog: read the state rows side by side, not one after the other.
        await states.LoadAsync(all.Select(e => MonitorTables.EndpointPartition(e.Service.Id, e.Endpoint.Id)), _options.MaxConcurrency, ct);
        var due = new List<(ServiceDefinition, EndpointDefinition)>(all.Count);
        foreach (var (service, endpoint) in all)
        {
            var stored = await states.GetAsync(MonitorTables.EndpointPartition(service.Id, endpoint.Id), ct);
            if (IsDue(stored.State.LastCheck, endpoint.Interval, now))
            {
                due.Add((service, endpoint));
            }
        }
        return due;
    }

    private async Task RunInProcessAsync(IReadOnlyList<ProbeShard> shards, MonitorCatalog inForce, CycleGate gate, Recording recording,
        CancellationToken ct)
    {
        var channel = Channel.CreateBounded<ProbeShard>(new BoundedChannelOptions(InProcessWorkers) { SingleWriter = true });
        var workers = Enumerable.Range(0, Math.Min(InProcessWorkers, shards.Count)).Select(_ => Task.Run(async () =>
        {
            await foreach (var shard in channel.Reader.ReadAllAsync(ct))
            {
                await runner.ProbeAsync(shard, inForce, gate, recording, ct);
            }
        }, ct)).ToList();
        try
        {
            foreach (var shard in shards)
            {
                await channel.Writer.WriteAsync(shard, ct);
            }
        }
        finally
        {
            channel.Writer.Complete();
        }
        await Task.WhenAll(workers);
    }

    /// <summary>
    /// Due when the interval has passed since the last check. A small slack absorbs timer jitter so an
    /// endpoint with a 60 s interval on a 30 s schedule is probed every 60 s, not every 90 s.
    /// </summary>
    internal static bool IsDue(DateTimeOffset? lastCheck, TimeSpan interval, DateTimeOffset now)
    {
        var slack = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, interval.Ticks / 10));
        return lastCheck is null || now - lastCheck.Value >= interval - slack;
    }
}

/// <summary>Told when a probe cycle's results are all recorded (in process: after the cycle; sharded: after its last shard).</summary>
public interface ICycleListener
{
    Task CycleCompletedAsync(CancellationToken ct);
}

public sealed record ProbeCycleReport(bool Ran, int Endpoints, int Probed, int Up, int Degraded, int Down, TimeSpan Elapsed, DispatchReport? Alerts)
{
    public static readonly ProbeCycleReport Skipped = new(false, 0, 0, 0, 0, 0, TimeSpan.Zero, null);

    /// <summary>Shards handed to the queue; their probes are counted by the ProbeShard runs.</summary>
    public int QueuedShards { get; init; }

    public static ProbeCycleReport Queued(int endpoints, int due, int shards, TimeSpan elapsed) =>
        new(true, endpoints, 0, 0, 0, 0, elapsed, null) { QueuedShards = shards, Due = due };

    public int Due { get; init; }

    /// <summary>The self-check found this location offline: the cycle's failures were not recorded.</summary>
    public bool LocationOffline { get; init; }

    public static ProbeCycleReport From(int endpoints, int due, IReadOnlyList<RecordedProbe> recorded, TimeSpan elapsed, DispatchReport? alerts) =>
        new(true, endpoints, recorded.Count,
            recorded.Count(r => r.Observation.Outcome == ProbeOutcome.Up),
            recorded.Count(r => r.Observation.Outcome == ProbeOutcome.Degraded),
            recorded.Count(r => r.Observation.Outcome == ProbeOutcome.Down),
            elapsed, alerts)
        { Due = due };

    public override string ToString() => !Ran
        ? "probe cycle skipped: the previous cycle is still running"
        : LocationOffline
            ? $"probe cycle: {Due} of {Endpoints} endpoints probed, {Probed} recorded: this location is offline (monitor self-check); {Elapsed.TotalMilliseconds:F0} ms"
        : QueuedShards > 0
            ? $"probe cycle: {Due} of {Endpoints} endpoints due, queued as {QueuedShards} shards; {Elapsed.TotalMilliseconds:F0} ms"
            : $"probe cycle: {Probed} of {Endpoints} endpoints due; {Up} up, {Degraded} degraded, {Down} down; {Elapsed.TotalMilliseconds:F0} ms"
              + (Alerts is { } a ? $"; {a}" : "");
}
