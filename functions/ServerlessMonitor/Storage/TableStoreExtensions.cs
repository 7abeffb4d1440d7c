using System.Runtime.CompilerServices;

namespace ServerlessMonitor.Storage;

public static class TableStoreExtensions
{
    public const int MaxBatchOperations = 100;

    /// <summary>Every row of the range, following continuation tokens.</summary>
    public static async IAsyncEnumerable<TableEntity> QueryAllAsync(this ITableStore store, string table, string partitionKey,
        RowKeyRange range, IReadOnlyList<string>? select = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        string? token = null;
        do
        {
            var page = await store.QueryAsync(table, partitionKey, range, null, select, token, ct);
            foreach (var item in page.Items)
            {
                yield return item;
            }
            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    public static async Task<string?> ExecuteAsync(this ITableStore store, string table, TableOperation operation, CancellationToken ct = default) =>
        (await store.SubmitBatchAsync(table, [operation], ct))[0];
}
