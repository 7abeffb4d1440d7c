using ServerlessMonitor.Incidents;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Admin;

/// <summary>
/// Appends notes to an incident row. Probes merge into the same row at any time, so the note is
/// written as an ETag-guarded update of the row as read: a concurrent probe update (or another note)
/// changes the ETag, the update fails with PreconditionFailed, and the append is redone on the fresh
/// row — nothing the probe wrote is overwritten and no note is lost.
/// </summary>
public sealed class IncidentNoteWriter(ITableStore store, MonitorTables tables)
{
    private const int MaxAttempts = 8;

    /// <summary>The incident's notes after the append, or null when the incident does not exist.</summary>
    public async Task<IReadOnlyList<IncidentNote>?> AppendAsync(string incidentId, IncidentNote note, CancellationToken ct)
    {
        if (!IncidentRows.TryParseId(incidentId, out var partition, out var rowKey))
        {
            return null;
        }
        for (var attempt = 1; ; attempt++)
        {
            if (await store.GetAsync(tables.Endpoints, partition, rowKey, ct) is not { } row)
            {
                return null;
            }
            var json = IncidentNotes.Append(row.GetString(IncidentNotes.Property), note);
            var properties = new Dictionary<string, object?>(row.Properties) { [IncidentNotes.Property] = json };
            try
            {
                await store.ExecuteAsync(tables.Endpoints, TableOperation.Update(row with { Properties = properties }), ct);
                return IncidentNotes.Parse(json);
            }
            catch (TableStoreException e) when (e.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.Conflict && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt), ct);
            }
        }
    }
}
