using ServerlessMonitor.Catalog;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Status;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// The repair for a shard retried after its first attempt died between committing and publishing (an instance killed
/// mid-shard): the retry skips an endpoint already recorded for its slot, so nothing of this instance knows the global
/// change the dead one committed, and the board would show the old status until the endpoint's next change. The
/// committed global row goes into the <see cref="BoardLedger"/> instead; the publish step then writes it under the board's
/// revision guard (a no-op when the board already shows it) and raises the Service.StatusChanged it owes, once.
/// Costs one range read of the endpoint's state rows per skipped endpoint, which only a retried slot has.
/// </summary>
public sealed class SlotRepair(GlobalStep global, BoardLedger ledger)
{
    public async Task RepublishAsync(string partition, ServiceDefinition service, EndpointDefinition endpoint, EndpointState committed,
        Observation observation, CancellationToken ct)
    {
        if (await global.CommittedAsync(partition, endpoint, observation.CheckedAt, ct) is { } outcome)
        {
            ledger.Committed([new RecordedProbe(service, endpoint, committed, committed, observation, outcome)]);
        }
    }
}
