using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Admin;

/// <summary>What appending an update came to.</summary>
public enum IncidentUpdateOutcome
{
    Added,
    UnknownIncident,
    /// <summary>The incident's timeline has no room left (the row's property limit); nothing was written.</summary>
    Full,
}

public sealed record IncidentUpdateResult(IncidentUpdateOutcome Outcome, IReadOnlyList<IncidentNote> Updates);

/// <summary>
/// Appends operator updates (the incident's timeline; a "note" is the same thing) to an incident row, and writes their
/// <c>Service.Update</c> outbox row in the same atomic batch, so an update is on the page exactly when its event is
/// pending. Probes merge into the same row at any time, so the row is written as an ETag-guarded update of the row as
/// read: a concurrent probe update (or another update) changes the ETag, the batch fails with PreconditionFailed, and
/// the append is redone on the fresh row — nothing the probe wrote is overwritten and no update is lost.
/// </summary>
public sealed class IncidentNoteWriter(ITableStore store, MonitorTables tables, OutboxWriter outbox, CatalogProvider catalog, IOptions<MonitorOptions> monitor,
    IOptions<AlertsOptions> alerts)
{
    private const int MaxAttempts = 8;

    /// <summary>An Azure Tables string property holds 32K UTF-16 characters; the timeline stays below that.</summary>
    public const int MaxTimelineChars = 30_000;

    public async Task<IncidentUpdateResult> AppendAsync(string incidentId, IncidentNote note, CancellationToken ct)
    {
        if (!IncidentRows.TryParseId(incidentId, out var partition, out var rowKey))
        {
            return new IncidentUpdateResult(IncidentUpdateOutcome.UnknownIncident, []);
        }
        for (var attempt = 1; ; attempt++)
        {
            if (await store.GetAsync(tables.Endpoints, partition, rowKey, ct) is not { } row)
            {
                return new IncidentUpdateResult(IncidentUpdateOutcome.UnknownIncident, []);
            }
            var stored = row.GetString(IncidentNotes.Property);
            var json = IncidentNotes.Append(stored, note);
            if (json.Length > MaxTimelineChars)
            {
                return new IncidentUpdateResult(IncidentUpdateOutcome.Full, IncidentNotes.Parse(stored));
            }
            var properties = new Dictionary<string, object?>(row.Properties) { [IncidentNotes.Property] = json };
            var service = catalog.Current.FindService(row.GetString("Service") ?? "");
            var e = IncidentUpdateEvent.Create(row, note, IncidentNotes.Parse(stored).Count + 1, service, monitor.Value.Instance, service is null ? null : alerts.Value.StatusLink(service.Id));
            try
            {
                await outbox.SubmitAsync(
                    [TableOperation.Update(row with { Properties = properties }), TableOperation.Insert(OutboxRows.Create(partition, e, note.Time))], ct);
                return new IncidentUpdateResult(IncidentUpdateOutcome.Added, IncidentNotes.Parse(json));
            }
            catch (TableStoreException x) when (x.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.Conflict && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt), ct);
            }
        }
    }
}
