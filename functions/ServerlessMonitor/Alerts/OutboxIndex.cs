using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Alerts;

/// <summary>
/// The partitions that may hold undelivered outbox rows: one row per partition in <see cref="MonitorTables.OutboxIndexPartition"/>.
/// An outbox row and its partition's mark cannot be one batch (a batch is one partition), so the mark is written first
/// (write-ahead: a mark without a pending row costs one look and is cleared) and cleared only by a sweep that found the
/// partition empty, guarded by the ETag it read — a partition marked again meanwhile keeps its mark.
/// </summary>
public sealed class OutboxIndex(ITableStore store, MonitorTables tables, TimeProvider time)
{
    public Task MarkAsync(string partition, CancellationToken ct) =>
        store.ExecuteAsync(tables.Endpoints, TableOperation.UpsertReplace(new TableEntity(MonitorTables.OutboxIndexPartition, partition,
            new Dictionary<string, object?> { ["MarkedAt"] = time.GetUtcNow() })), ct);

    /// <summary>Every marked partition with the ETag of its mark.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(CancellationToken ct)
    {
        var marks = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in store.QueryAllAsync(tables.Endpoints, MonitorTables.OutboxIndexPartition, RowKeyRange.All, ["MarkedAt"], ct))
        {
            marks[row.RowKey] = row.ETag ?? "*";
        }
        return marks;
    }

    /// <summary>Clears the mark read with <paramref name="etag"/>; a mark written since (or already gone) stays as it is.</summary>
    public async Task ClearAsync(string partition, string etag, CancellationToken ct)
    {
        try
        {
            await store.ExecuteAsync(tables.Endpoints, TableOperation.Delete(MonitorTables.OutboxIndexPartition, partition, etag), ct);
        }
        catch (TableStoreException e) when (e.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.NotFound)
        {
        }
    }
}
