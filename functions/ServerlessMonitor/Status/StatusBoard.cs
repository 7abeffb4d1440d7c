using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Status;

/// <summary>
/// The denormalised Status table the status API reads: one row per endpoint, written in batches of
/// 100 after each cycle. It can always be rebuilt from the endpoints' state rows.
/// </summary>
public sealed class StatusBoard(ITableStore store, MonitorTables tables)
{
    public async Task PublishAsync(IReadOnlyList<RecordedProbe> recorded, CancellationToken ct)
    {
        if (recorded.Count == 0)
        {
            return;
        }
        await store.UpsertChunkedAsync(tables.Status, recorded.Select(ToRow), ct);
    }

    public async Task<IReadOnlyDictionary<string, StatusRow>> ReadAsync(CancellationToken ct)
    {
        var rows = new Dictionary<string, StatusRow>(StringComparer.Ordinal);
        await foreach (var e in store.QueryAllAsync(tables.Status, MonitorTables.StatusPartition, RowKeyRange.All, ct: ct))
        {
            rows[e.RowKey] = FromEntity(e);
        }
        return rows;
    }

    private static TableEntity ToRow(RecordedProbe r)
    {
        var o = r.Observation;
        return new TableEntity(MonitorTables.StatusPartition, MonitorTables.EndpointPartition(r.Service.Id, r.Endpoint.Id), new Dictionary<string, object?>
        {
            ["Status"] = r.Current.Status.ToWire(),
            ["Since"] = r.Current.Since,
            ["LastCheck"] = o.CheckedAt,
            ["LastOutcome"] = o.Outcome.ToString().ToLowerInvariant(),
            ["ResponseMs"] = o.ResponseTimeMs,
            ["StatusCode"] = o.Response.StatusCode,
            ["LastError"] = o.Error,
            ["ErrorKind"] = o.ErrorKind?.ToWire(),
            ["CertificateExpiry"] = o.Response.CertificateExpiry,
        });
    }

    private static StatusRow FromEntity(TableEntity e) => new(
        HealthStatusText.ParseWire(e.GetString("Status")),
        e.GetDate("Since"),
        e.GetDate("LastCheck"),
        e.GetString("LastOutcome"),
        e.Properties.ContainsKey("ResponseMs") ? e.GetInt64("ResponseMs") : null,
        e.Properties.ContainsKey("StatusCode") ? (int)e.GetInt64("StatusCode") : null,
        e.GetString("LastError"),
        e.GetString("ErrorKind"),
        e.GetDate("CertificateExpiry"));
}

public sealed record StatusRow(
    HealthStatus Status,
    DateTimeOffset? Since,
    DateTimeOffset? LastCheck,
    string? LastOutcome,
    long? ResponseMs,
    int? StatusCode,
    string? LastError,
    string? ErrorKind,
    DateTimeOffset? CertificateExpiry);
