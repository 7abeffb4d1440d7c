using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Alerts;

/// <summary>
/// How an outbox row is written outside the probe's own batch: the partitions of the batch's new outbox rows are marked
/// in the <see cref="OutboxIndex"/> first, then the batch (the state change with its rows, atomically) is submitted. A
/// process that dies between the two leaves a mark the next AlertsTimer sweep looks at, never a pending row that only the
/// daily full sweep would find. A mark whose batch then failed costs that sweep one look and is cleared.
/// </summary>
public sealed class OutboxWriter(ITableStore store, MonitorTables tables, OutboxIndex index)
{
    /// <summary>Marks, then submits <paramref name="batch"/> to the endpoints table (one partition, as every batch).</summary>
    public async Task SubmitAsync(IReadOnlyList<TableOperation> batch, CancellationToken ct)
    {
        await MarkAsync(batch, ct);
        await store.SubmitBatchAsync(tables.Endpoints, batch, ct);
    }

    /// <summary>Marks the partitions of the outbox rows <paramref name="operations"/> insert (for a batch submitted elsewhere).</summary>
    public async Task MarkAsync(IEnumerable<TableOperation> operations, CancellationToken ct)
    {
        foreach (var partition in operations.Where(IsNewOutboxRow).Select(o => o.Entity.PartitionKey).Distinct(StringComparer.Ordinal))
        {
            await index.MarkAsync(partition, ct);
        }
    }

    private static bool IsNewOutboxRow(TableOperation o) =>
        o.Kind == TableOperationKind.Insert && o.Entity.RowKey.StartsWith(OutboxRows.KeyPrefix, StringComparison.Ordinal);
}
