using ServerlessMonitor.Alerts;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Notifications;

/// <summary>
/// Writes a dependant onto its dependency's service incident ("also affected: checkout, search"): its later messages
/// (reminders, recovery) list it, and so does its opening message while nobody has been sent it yet. The row and the
/// opening outbox row share the dependency's partition, so both change in one batch under their ETags.
/// </summary>
internal sealed class DependantsNote(ITableStore store, MonitorTables tables, ILogger logger)
{
    private const int MaxRaces = 5;

    /// <summary>Adds <paramref name="dependant"/> to the incident of the service that <paramref name="dependency"/> names.</summary>
    public async Task AddAsync(string dependency, string dependant, CancellationToken ct)
    {
        var service = dependency.Split('/')[0];
        for (var race = 0; ; race++)
        {
            var row = await store.GetAsync(tables.Endpoints, service, ServiceIncidentRows.Key, ct);
            var state = ServiceIncidentRows.Read(row);
            if (state.Dependants.Contains(dependant, StringComparer.Ordinal))
            {
                return;
            }
            // Not open yet (the dependant's service went first in this cycle): the dependency's opening message carries it.
            state = state with { Dependants = [.. state.Dependants.Append(dependant).Order(StringComparer.Ordinal)] };
            var ops = new List<TableOperation> { ServiceIncidentRows.Write(service, state, row?.ETag) };
            if (state.IsOpen && await OpeningAsync(service, state, ct) is { } opening)
            {
                ops.Add(opening);
            }
            try
            {
                await store.SubmitBatchAsync(tables.Endpoints, ops, ct);
                return;
            }
            catch (TableStoreException e) when (race < MaxRaces && e.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.Conflict)
            {
                logger.LogDebug("Service incident of {Service} changed under us; reading it again", service);
            }
        }
    }

    /// <summary>The opening message with the dependants, while no sink has had it or tried it.</summary>
    private async Task<TableOperation?> OpeningAsync(string service, ServiceIncident state, CancellationToken ct)
    {
        if (state.OpeningEvent is null || await store.GetAsync(tables.Endpoints, service, state.OpeningEvent, ct) is not { } row)
        {
            return null;
        }
        var entry = new OutboxEntry(row);
        if (entry.State != OutboxRows.Pending || entry.Attempts > 0 || entry.DeliveredTo.Count > 0 ||
            OutboxRows.TryDeserialize(entry.Json) is not { } opening)
        {
            return null;
        }
        var e = opening with { Data = opening.Data with { Dependants = state.Dependants } };
        return entry.Update((OutboxRows.EventProperty, OutboxRows.Serialize(e)));
    }
}
