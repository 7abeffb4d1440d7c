using System.Diagnostics.Metrics;

namespace ServerlessMonitor.Storage;

/// <summary>
/// Publishes every read and write the monitor makes as metrics (meter <see cref="MeterName"/>): the
/// counters operators watch to see that a warm status request costs no storage read, and that the read
/// path stays flat when traffic spikes. Both backends sit behind it.
/// </summary>
internal sealed class MeteredTableStore : ITableStore
{
    public const string MeterName = "ServerlessMonitor.Storage";
    public const string ReadsCounter = "serverlessmonitor.storage.reads";
    public const string WritesCounter = "serverlessmonitor.storage.writes";

    private readonly ITableStore inner;
    private readonly Counter<long> reads;
    private readonly Counter<long> writes;

    public MeteredTableStore(ITableStore inner, IMeterFactory meters)
    {
        this.inner = inner;
        var meter = meters.Create(MeterName);
        reads = meter.CreateCounter<long>(ReadsCounter, "{read}", "Point reads and query pages sent to the table store");
        writes = meter.CreateCounter<long>(WritesCounter, "{batch}", "Batches submitted to the table store");
    }

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken ct = default) => inner.CreateTableIfNotExistsAsync(table, ct);

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default)
    {
        reads.Add(1, new KeyValuePair<string, object?>("operation", "get"));
        return inner.GetAsync(table, partitionKey, rowKey, ct);
    }

    public Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null,
        IReadOnlyList<string>? select = null, string? continuationToken = null, CancellationToken ct = default)
    {
        reads.Add(1, new KeyValuePair<string, object?>("operation", "query"));
        return inner.QueryAsync(table, partitionKey, range, top, select, continuationToken, ct);
    }

    public Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default)
    {
        writes.Add(1);
        return inner.SubmitBatchAsync(table, operations, ct);
    }
}
