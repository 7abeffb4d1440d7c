using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// Waits before every read, as a store across a network does (<c>--read-latency-ms</c>): Azurite on loopback answers
/// in well under a millisecond, Table Storage in a few, and the snapshot build does thousands of reads.
/// </summary>
internal sealed class LatencyTableStore(ITableStore inner, TimeSpan latency) : DelegatingTableStore(inner)
{
    public static ITableStore Over(ITableStore inner, TimeSpan latency) => latency > TimeSpan.Zero ? new LatencyTableStore(inner, latency) : inner;

    public override async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default)
    {
        await Task.Delay(latency, ct);
        return await Inner.GetAsync(table, partitionKey, rowKey, ct);
    }

    public override async Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null, IReadOnlyList<string>? select = null,
        string? continuationToken = null, CancellationToken ct = default)
    {
        await Task.Delay(latency, ct);
        return await Inner.QueryAsync(table, partitionKey, range, top, select, continuationToken, ct);
    }
}
