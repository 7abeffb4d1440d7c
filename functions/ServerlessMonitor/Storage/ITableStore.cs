namespace ServerlessMonitor.Storage;

/// <summary>
/// The narrow table port both backends implement (Azure Table Storage and SQLite).
/// Batches are atomic and limited to one partition and 100 operations, as on Azure.
/// </summary>
public interface ITableStore
{
    Task CreateTableIfNotExistsAsync(string table, CancellationToken ct = default);

    /// <summary>Point read; null when the row does not exist.</summary>
    Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default);

    /// <summary>One page of rows of one partition in row-key order.</summary>
    Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null,
        IReadOnlyList<string>? select = null, string? continuationToken = null, CancellationToken ct = default);

    /// <summary>
    /// Runs the operations atomically: all succeed or none is applied. Returns the new ETags
    /// in operation order (null for deletes).
    /// </summary>
    Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default);
}
