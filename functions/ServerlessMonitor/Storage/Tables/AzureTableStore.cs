using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using SdkEntity = Azure.Data.Tables.TableEntity;

namespace ServerlessMonitor.Storage.Tables;

/// <summary>
/// The production backend: Azure Table Storage (also Azurite) through the Azure.Data.Tables SDK,
/// which brings authentication, retries and logging. Construct it through
/// <see cref="TableStoreConnection.CreateStore"/>.
/// </summary>
internal sealed class AzureTableStore(TableServiceClient service) : ITableStore
{
    private const int MaxPageSize = 1000;
    private static readonly string[] KeyColumns = ["PartitionKey", "RowKey", "Timestamp"];

    private readonly ConcurrentDictionary<string, TableClient> _clients = new(StringComparer.Ordinal);

    public async Task CreateTableIfNotExistsAsync(string table, CancellationToken ct = default)
    {
        var context = $"create table '{table}'";
        var response = await CallAsync(() => Client(table).CreateIfNotExistsAsync(ct), context, ct);
        var raw = response.GetRawResponse();
        // The SDK answers "already there" with the 409 itself; any other conflict (a table being deleted) is an error.
        if (raw.Status == 409 && ErrorCode(raw) != "TableAlreadyExists")
        {
            throw TableErrors.From(new RequestFailedException(raw), context);
        }
    }

    public async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default)
    {
        var context = $"read '{partitionKey}'/'{rowKey}' in '{table}'";
        var response = await CallAsync(() => Client(table).GetEntityIfExistsAsync<SdkEntity>(partitionKey, rowKey, cancellationToken: ct), context, ct);
        if (response.HasValue)
        {
            return EntityMapping.FromSdk(response.Value!);
        }
        // A missing row is an answer; a missing table is a mistake the caller must hear about.
        var raw = response.GetRawResponse();
        return ErrorCode(raw) == "TableNotFound" ? throw TableErrors.From(new RequestFailedException(raw), context) : null;
    }

    public Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null,
        IReadOnlyList<string>? select = null, string? continuationToken = null, CancellationToken ct = default)
    {
        var pageSize = Math.Clamp(top ?? MaxPageSize, 1, MaxPageSize);
        // The keys are always needed to build a TableEntity; the service omits them unless selected.
        var columns = select is null ? null : KeyColumns.Concat(select).Distinct(StringComparer.Ordinal).ToList();
        return CallAsync(async () =>
        {
            var pages = Client(table).QueryAsync<SdkEntity>(RangeFilter(partitionKey, range), pageSize, columns, ct)
                .AsPages(continuationToken, pageSize);
            await foreach (var page in pages)
            {
                var token = string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken;
                return new TablePage(page.Values.Select(EntityMapping.FromSdk).ToList(), token);
            }
            return new TablePage([], null);
        }, $"query '{partitionKey}' in '{table}'", ct);
    }

    public async Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default)
    {
        // Azurite enforces none of these; checking here keeps what works locally working in Azure.
        BatchRules.Validate(operations);
        // One operation needs no transaction: the plain request is cheaper and its errors are direct.
        return operations.Count == 1
            ? [await ExecuteAsync(table, operations[0], ct)]
            : await TransactAsync(table, operations, ct);
    }

    private Task<string?> ExecuteAsync(string table, TableOperation operation, CancellationToken ct) =>
        CallAsync(async () =>
        {
            var client = Client(table);
            var entity = EntityMapping.ToSdk(operation.Entity);
            var response = operation.Kind switch
            {
                TableOperationKind.Insert => await client.AddEntityAsync(entity, ct),
                TableOperationKind.UpsertMerge => await client.UpsertEntityAsync(entity, TableUpdateMode.Merge, ct),
                TableOperationKind.UpsertReplace => await client.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct),
                TableOperationKind.Update => await client.UpdateEntityAsync(entity, EntityMapping.IfMatch(operation.Entity), TableUpdateMode.Replace, ct),
                TableOperationKind.Delete => await client.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, EntityMapping.IfMatch(operation.Entity), ct),
                _ => throw new TableStoreException(TableErrorKind.BadRequest, $"unknown operation kind {operation.Kind}"),
            };
            // DeleteEntity reports a missing row as a 404 response instead of throwing; the port says NotFound.
            if (response.IsError)
            {
                throw new RequestFailedException(response);
            }
            return operation.Kind == TableOperationKind.Delete ? null : EntityMapping.Text(response.Headers.ETag);
        }, Describe(0, operation, table), ct, index: 0);

    private Task<IReadOnlyList<string?>> TransactAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct) =>
        CallAsync<IReadOnlyList<string?>>(async () =>
        {
            var actions = operations.Select(EntityMapping.ToAction).ToList();
            try
            {
                var responses = (await Client(table).SubmitTransactionAsync(actions, ct)).Value;
                if (responses.Count != operations.Count)
                {
                    throw new TableStoreException(TableErrorKind.Unavailable,
                        $"batch on '{table}': expected {operations.Count} responses, the service returned {responses.Count}");
                }
                return responses.Select((r, i) => operations[i].Kind == TableOperationKind.Delete ? null : EntityMapping.Text(r.Headers.ETag)).ToList();
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex is int i && i >= 0 && i < operations.Count)
            {
                throw TableErrors.From(e, Describe(i, operations[i], table), i);
            }
        }, $"batch on '{table}'", ct);

    private TableClient Client(string table) => _clients.GetOrAdd(table, static (name, s) => s.GetTableClient(name), service);

    private static string RangeFilter(string partitionKey, RowKeyRange range) => (range.From, range.To) switch
    {
        // CreateQueryFilter quotes and escapes every value, so ids can't change the meaning of a filter.
        (null, null) => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"),
        (string from, null) => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {from}"),
        (null, string to) => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey lt {to}"),
        (string from, string to) => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {from} and RowKey lt {to}"),
    };

    private static string Describe(int index, TableOperation op, string table) =>
        $"operation {index} ({op.Kind} '{op.Entity.RowKey}' in '{table}')";

    private static string? ErrorCode(Response response) =>
        response.Headers.TryGetValue("x-ms-error-code", out var code) ? code : null;

    /// <summary>Runs one SDK call and turns its failures into the port's <see cref="TableStoreException"/>.</summary>
    private static async Task<T> CallAsync<T>(Func<Task<T>> call, string context, CancellationToken ct, int? index = null)
    {
        try
        {
            return await call();
        }
        catch (RequestFailedException e)
        {
            throw TableErrors.From(e, context, index);
        }
        // Retries exhausted on network failures end as an AggregateException; a timeout as a cancellation nobody asked for.
        catch (Exception e) when (e is AggregateException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw TableErrors.Unreachable(e, context);
        }
    }
}
