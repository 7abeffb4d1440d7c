using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Tests.Support;

/// <summary>Refuses the first query that <paramref name="fails"/> picks (any, by default), as a store that is briefly unreachable does.</summary>
public sealed class FailOnceStore(ITableStore inner, Func<RowKeyRange, bool>? fails = null) : DelegatingTableStore(inner)
{
    private int failed;

    public override Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null, IReadOnlyList<string>? select = null,
        string? continuationToken = null, CancellationToken ct = default) =>
        (fails?.Invoke(range) ?? true) && Interlocked.Exchange(ref failed, 1) == 0
            ? throw new TableStoreException(TableErrorKind.Unavailable, "store unreachable")
            : Inner.QueryAsync(table, partitionKey, range, top, select, continuationToken, ct);
}
