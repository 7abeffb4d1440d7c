using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Tests.Support;

/// <summary>While <see cref="Failing"/>, refuses every read of outbox rows (scans and point reads) — the dispatcher's part of the store.</summary>
public sealed class OutboxReadsFailStore(ITableStore inner) : DelegatingTableStore(inner)
{
    public volatile bool Failing;

    public override Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default) =>
        Failing && rowKey.StartsWith("outbox-", StringComparison.Ordinal) ? throw Refusal() : Inner.GetAsync(table, partitionKey, rowKey, ct);

    public override Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null, IReadOnlyList<string>? select = null,
        string? continuationToken = null, CancellationToken ct = default) =>
        Failing && range.From?.StartsWith("outbox-", StringComparison.Ordinal) == true
            ? throw Refusal()
            : Inner.QueryAsync(table, partitionKey, range, top, select, continuationToken, ct);

    private static TableStoreException Refusal() => new(TableErrorKind.Unavailable, "injected: outbox unreachable");
}
