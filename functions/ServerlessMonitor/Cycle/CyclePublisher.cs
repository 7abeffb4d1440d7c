using ServerlessMonitor.Alerts;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.ReadModel;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// The publish step of a cycle or shard: what was recorded goes on the status board (with any global change an earlier
/// cycle failed to put there), service-level events are raised, and the alerts written are delivered.
/// </summary>
public sealed class CyclePublisher(WriteBehind behind, StatusBoard board, BoardWriter writer, BoardLedger ledger, ServiceStatusAlerts serviceAlerts, ServiceIncidentAlerts serviceIncidents,
    OutboxDispatcher dispatcher, ChangedServices changed, RareMarker rare, ILogger<CyclePublisher> logger)
{
    /// <summary>
    /// Refreshes the status board, raises service-level status changes, then delivers the alerts this
    /// shard wrote. Delivery failures and outbox store errors stay in the outbox for the AlertsTimer; they never fail the cycle.
    /// </summary>
    public async Task<DispatchReport?> PublishAsync(IReadOnlyList<RecordedProbe> recorded, DateTimeOffset now, CancellationToken ct)
    {
        // The rows steady probes left in memory, once for the whole cycle or shard (DESIGN §5, write contract).
        var step = CycleProfile.Start();
        await behind.FlushAsync(ct);
        CycleProfile.Stop(ProfileStep.Flush, step);
        ledger.Committed(recorded);
        // The services whose public answers move: this shard's, and those of changes still to publish.
        var services = recorded.Concat(ledger.Unpublished()).Select(r => r.Service.Id).ToHashSet(StringComparer.Ordinal);
        step = CycleProfile.Start();
        try
        {
            await writer.PublishAsync(recorded, ct);
        }
        catch (TableStoreException e)
        {
            logger.LogError("Status board measurements of {Slot:O} not written: {Reason}; the next cycle writes them", now, e.Message);
        }
        CycleProfile.Stop(ProfileStep.Board, step);
        step = CycleProfile.Start();
        var published = await PublishGlobalAsync(now, ct);
        CycleProfile.Stop(ProfileStep.PublishGlobal, step);
        step = CycleProfile.Start();
        // Told once what they show is written: a build that takes them afterwards reads the board as published.
        changed.Recorded(services);
        if (recorded.Any(r => r.Global is not null))
        {
            changed.RarelyChanged(); // a state change may have written an incident: kept incident reads are stale
            await rare.ChangedAsync(ct); // here and on the instances sharing the store
        }
        var partitions = recorded.Where(r => r.Global?.Alerts.Count > 0)
            .Select(r => MonitorTables.EndpointPartition(r.Service.Id, r.Endpoint.Id)).ToList();
        partitions.AddRange(await RaiseServiceChangesAsync(published, now, ct));
        partitions.AddRange(await serviceIncidents.RaiseAsync(recorded, now, ct)); // keeps its store errors per service
        CycleProfile.Stop(ProfileStep.ServiceEvents, step);
        // The dispatcher keeps its own store errors to itself: the rows wait in the outbox for the AlertsTimer.
        if (partitions.Count == 0)
        {
            return null;
        }
        step = CycleProfile.Start();
        var delivery = await dispatcher.DispatchAsync(partitions, ct);
        CycleProfile.Stop(ProfileStep.Dispatch, step);
        return delivery;
    }

    /// <summary>
    /// Puts every global change the board does not show yet on it — this cycle's and any an earlier cycle failed to write —
    /// and returns the ones it wrote, with the board as it was before them (for the service status events).
    /// </summary>
    private async Task<(IReadOnlyDictionary<string, StatusRow> Before, List<RecordedProbe> Changes)?> PublishGlobalAsync(DateTimeOffset now,
        CancellationToken ct)
    {
        var pending = ledger.Unpublished();
        if (pending.Count == 0)
        {
            return null;
        }
        try
        {
            // The whole board only when a status changed (for the service events); an incident update costs its row's read alone.
            var before = pending.Any(r => r.Global!.State.Status != r.Global.Previous.Status)
                ? await board.ReadAsync(ct)
                : new Dictionary<string, StatusRow>();
            var published = new List<RecordedProbe>(pending.Count);
            foreach (var change in pending)
            {
                var outcome = await writer.PublishGlobalAsync(change, ct);
                if (outcome != GlobalPublish.Contended)
                {
                    ledger.Published(change);
                }
                // A superseded change raises no service event: the instance that wrote the newer revision raised its own.
                if (outcome == GlobalPublish.Written)
                {
                    published.Add(change);
                }
            }
            return (before, published);
        }
        catch (TableStoreException e)
        {
            logger.LogError("Status board not brought up to date at {Slot:O}: {Reason}; {Pending} global changes are published by the next cycle",
                now, e.Message, ledger.Unpublished().Count);
            return null;
        }
    }

    private async Task<IReadOnlyList<string>> RaiseServiceChangesAsync((IReadOnlyDictionary<string, StatusRow> Before, List<RecordedProbe> Changes)? published,
        DateTimeOffset now, CancellationToken ct)
    {
        if (published is not { } p || !p.Changes.Any(r => r.Global!.State.Status != r.Global.Previous.Status))
        {
            return [];
        }
        try
        {
            return await serviceAlerts.RaiseAsync(p.Before, p.Changes, now, ct);
        }
        catch (TableStoreException e)
        {
            logger.LogError("Service status events of {Slot:O} not written: {Reason}", now, e.Message);
            return [];
        }
    }
}
