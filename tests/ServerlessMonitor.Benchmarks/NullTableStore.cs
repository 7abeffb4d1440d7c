using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// A store that keeps nothing (--backend null): what the engine costs without any storage, to tell the engine's own
/// work from the backend's. Not a backend: reads find nothing, writes succeed with a fresh ETag.
/// </summary>
internal sealed class NullTableStore : ITableStore
{
    private long _etag;

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken ct = default) => Task.CompletedTask;

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default) =>
        Task.FromResult<TableEntity?>(null);

    public Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null,
        IReadOnlyList<string>? select = null, string? continuationToken = null, CancellationToken ct = default) =>
        Task.FromResult(new TablePage([], null));

    public Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string?>>(operations.Select(_ => (string?)$"W/\"{Interlocked.Increment(ref _etag)}\"").ToList());
}
