using System.Diagnostics.Metrics;

namespace ServerlessMonitor.Storage;

/// <summary>
/// Publishes every read and write the monitor makes as metrics (meter <see cref="MeterName"/>): the
/// counters operators watch to see that a warm status request costs no storage read, and that the read
/// path stays flat when traffic spikes. Both backends sit behind it.
/// </summary>
internal sealed class MeteredTableStore : DelegatingTableStore
{
    public const string MeterName = "ServerlessMonitor.Storage";
    public const string ReadsCounter = "serverlessmonitor.storage.reads";
    public const string WritesCounter = "serverlessmonitor.storage.writes";

    private readonly Counter<long> reads;
    private readonly Counter<long> writes;

    public MeteredTableStore(ITableStore inner, IMeterFactory meters)
        : base(inner)
    {
        var meter = meters.Create(MeterName);
        reads = meter.CreateCounter<long>(ReadsCounter, "{read}", "Point reads and query pages sent to the table store");
        writes = meter.CreateCounter<long>(WritesCounter, "{batch}", "Batches submitted to the table store");
    }

    public override Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default)
    {
        reads.Add(1, new KeyValuePair<string, object?>("operation", "get"));
        return Inner.GetAsync(table, partitionKey, rowKey, ct);
    }

    public override Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null,
        IReadOnlyList<string>? select = null, string? continuationToken = null, CancellationToken ct = default)
    {
        reads.Add(1, new KeyValuePair<string, object?>("operation", "query"));
        return Inner.QueryAsync(table, partitionKey, range, top, select, continuationToken, ct);
    }

    public override Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default)
    {
        writes.Add(1);
        return Inner.SubmitBatchAsync(table, operations, ct);
    }
}
