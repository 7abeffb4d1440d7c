using ServerlessMonitor.Cycle;

namespace ServerlessMonitor.Web;

/// <summary>
/// The public read model is built once from what a probe cycle recorded, when the cycle is complete: after an
/// in-process cycle, or after the last shard of a queued one. Listening keeps the dependency pointing from the
/// read side to the probes.
/// </summary>
internal sealed class SnapshotAfterProbes(ReadSnapshots snapshots) : ICycleListener
{
    public Task CycleCompletedAsync(CancellationToken ct) => snapshots.PublishAsync(ct);
}
