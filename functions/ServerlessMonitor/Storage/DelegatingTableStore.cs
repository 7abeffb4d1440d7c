namespace ServerlessMonitor.Storage;

/// <summary>
/// A table store that hands every call to another one: the base of decorators (the storage meter, and the
/// tests' and benchmarks' counting and fault-injecting stores), which override only what they add to.
/// </summary>
public abstract class DelegatingTableStore(ITableStore inner) : ITableStore
{
    protected ITableStore Inner { get; } = inner;

    public virtual Task CreateTableIfNotExistsAsync(string table, CancellationToken ct = default) => Inner.CreateTableIfNotExistsAsync(table, ct);

    public virtual Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default) =>
        Inner.GetAsync(table, partitionKey, rowKey, ct);

    public virtual Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null,
        IReadOnlyList<string>? select = null, string? continuationToken = null, CancellationToken ct = default) =>
        Inner.QueryAsync(table, partitionKey, range, top, select, continuationToken, ct);

    public virtual Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default) =>
        Inner.SubmitBatchAsync(table, operations, ct);
}
