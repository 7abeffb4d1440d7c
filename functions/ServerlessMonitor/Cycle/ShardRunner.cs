using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.SelfCheck;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// Runs one shard from the queue through the cycle's sequence (<see cref="CycleSequence"/>), and probes one endpoint when an
/// operator asks. Probes run at most Monitor:MaxConcurrency at a time per instance (<see cref="EndpointProber"/>; shards
/// running side by side share the limit) and each result is written as soon as it is known (<see cref="ProbeWriter"/>).
/// </summary>
public sealed class ShardRunner(CycleSequence sequence, EndpointProber prober, ProbeWriter writer, CyclePublisher publisher, SelfCheckService selfCheck)
{
    /// <summary>
    /// A shard on its own (from the queue): probes and records its endpoints for its slot, then publishes what it recorded.
    /// It never judges the location: ProbeTimer did, once for the whole cycle, before queuing it (FanOutSelfCheck). A failed
    /// write fails the shard after the rest is published, so the host retries it; the slot makes the retry record only what this attempt did not.
    /// </summary>
    public async Task<ShardReport> RunAsync(ProbeShard shard, MonitorCatalog catalog, CancellationToken ct)
    {
        await selfCheck.RefreshQuorumAsync(ct);
        var outcome = await sequence.RunAsync(new SequenceRun([shard], catalog, shard.Slot, new CycleGate(selfCheckOn: false), Problems: null), ct);
        return new ShardReport(shard.Endpoints.Count, outcome.Recorded, outcome.Delivery);
    }

    /// <summary>Probes one endpoint now, whether due or not (admin "probe now"); no self-check, an operator asked for this one.</summary>
    public async Task<RecordedProbe> ProbeNowAsync(MonitorCatalog catalog, ServiceDefinition service, EndpointDefinition endpoint, DateTimeOffset now,
        CancellationToken ct)
    {
        var probed = await prober.ProbeAsync(catalog, service, endpoint, now, ct);
        var r = (await writer.RecordAsync(probed, oncePerSlot: false, ct))!;
        await publisher.PublishAsync([r], now, ct);
        return r;
    }
}

/// <summary>What one shard did: endpoints it carried, what it recorded (retried endpoints recorded before are not counted again).</summary>
public sealed record ShardReport(int Endpoints, IReadOnlyList<RecordedProbe> Recorded, DispatchReport? Alerts);
