using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessMonitor.Storage.Tables;

/// <summary>
/// The production backend: the Azure Table service REST API (also Azurite) on Azure.Core's
/// pipeline, which brings retries, logging and authentication. Construct it through
/// <see cref="TableStoreConnection.CreateStore"/>.
/// </summary>
internal sealed class AzureTableStore(HttpPipeline pipeline, Uri endpoint) : ITableStore
{
    private const int MaxPageSize = 1000;
    // 2019-02-02 is the version Azure.Data.Tables speaks; it is also the first one that accepts Entra ID tokens.
    private const string ServiceVersion = "2019-02-02";
    private const string JsonMinimal = "application/json;odata=minimalmetadata";

    public Uri Endpoint { get; } = endpoint;

    public async Task CreateTableIfNotExistsAsync(string table, CancellationToken ct = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = table });
        using var message = await SendAsync(RequestMethod.Post, new Uri($"{Endpoint.AbsoluteUri}/Tables"), body, "application/json",
            r => r.Headers.SetValue("Prefer", "return-no-content"), ct);
        var response = message.Response;
        if (response.Status is 201 or 204)
        {
            return;
        }
        var error = ErrorOf(response);
        if (response.Status == 409 && error.Code == "TableAlreadyExists")
        {
            return;
        }
        throw TableErrors.Create(response.Status, error.Code, error.Message, context: $"create table '{table}'");
    }

    public async Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default)
    {
        using var message = await SendAsync(RequestMethod.Get, new Uri($"{Endpoint.AbsoluteUri}/{OData.EntityPath(table, partitionKey, rowKey)}"), null, null, null, ct);
        var response = message.Response;
        if (response.Status == 200)
        {
            using var doc = JsonDocument.Parse(response.Content.ToMemory());
            return EntityJson.Read(doc.RootElement, RawETag(response));
        }
        var error = ErrorOf(response);
        // A missing row is an answer; a missing table is a mistake the caller must hear about.
        if (response.Status == 404 && error.Code != "TableNotFound")
        {
            return null;
        }
        throw TableErrors.Create(response.Status, error.Code, error.Message, context: $"read '{partitionKey}'/'{rowKey}' in '{table}'");
    }

    public async Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null,
        IReadOnlyList<string>? select = null, string? continuationToken = null, CancellationToken ct = default)
    {
        var query = new StringBuilder("?$filter=").Append(Uri.EscapeDataString(OData.RangeFilter(partitionKey, range)));
        query.Append("&$top=").Append(Math.Clamp(top ?? MaxPageSize, 1, MaxPageSize));
        if (select is not null)
        {
            // The keys are always needed to build a TableEntity; the service omits them unless selected.
            var columns = new[] { "PartitionKey", "RowKey", "Timestamp" }.Concat(select).Distinct(StringComparer.Ordinal);
            query.Append("&$select=").Append(Uri.EscapeDataString(string.Join(',', columns)));
        }
        if (continuationToken is not null)
        {
            var (nextPk, nextRk) = OData.DecodeToken(continuationToken);
            if (nextPk is not null)
            {
                query.Append("&NextPartitionKey=").Append(Uri.EscapeDataString(nextPk));
            }
            if (nextRk is not null)
            {
                query.Append("&NextRowKey=").Append(Uri.EscapeDataString(nextRk));
            }
        }
        using var message = await SendAsync(RequestMethod.Get, new Uri($"{Endpoint.AbsoluteUri}/{Uri.EscapeDataString(table)}(){query}"), null, null, null, ct);
        var response = message.Response;
        if (response.Status != 200)
        {
            var error = ErrorOf(response);
            throw TableErrors.Create(response.Status, error.Code, error.Message, context: $"query '{partitionKey}' in '{table}'");
        }
        using var doc = JsonDocument.Parse(response.Content.ToMemory());
        var items = doc.RootElement.GetProperty("value").EnumerateArray().Select(e => EntityJson.Read(e)).ToList();
        response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var npk);
        response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nrk);
        return new TablePage(items, OData.EncodeToken(npk, nrk));
    }

    public async Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default)
    {
        BatchRules.Validate(operations);
        var requests = operations.Select(op => EntityRequest.For(Endpoint, table, op)).ToList();
        // One operation needs no transaction: the plain request is cheaper and its errors are direct.
        return requests.Count == 1
            ? [await SendSingleAsync(table, operations[0], requests[0], ct)]
            : await SendBatchAsync(table, operations, requests, ct);
    }

    private async Task<string?> SendSingleAsync(string table, TableOperation operation, EntityRequest request, CancellationToken ct)
    {
        using var message = await SendAsync(request.Method, request.Uri, request.Body, request.Body is null ? null : "application/json", r =>
        {
            if (request.IfMatch is not null)
            {
                r.Headers.SetValue("If-Match", request.IfMatch);
            }
            if (request.PreferNoContent)
            {
                r.Headers.SetValue("Prefer", "return-no-content");
            }
        }, ct);
        var response = message.Response;
        if (response.Status is >= 200 and < 300)
        {
            return operation.Kind == TableOperationKind.Delete ? null : RawETag(response);
        }
        var error = ErrorOf(response);
        throw TableErrors.Create(response.Status, error.Code, error.Message, 0, Describe(0, operation, table));
    }

    private async Task<IReadOnlyList<string?>> SendBatchAsync(string table, IReadOnlyList<TableOperation> operations,
        List<EntityRequest> requests, CancellationToken ct)
    {
        var (body, contentType) = BatchPayload.Build(requests);
        if (body.Length > BatchPayload.MaxPayloadBytes)
        {
            // Splitting would break atomicity, which is the whole point of a batch.
            throw new TableStoreException(TableErrorKind.BadRequest,
                $"a batch payload is limited to 4 MiB ({BatchPayload.MaxPayloadBytes} bytes), this one is {body.Length} bytes");
        }
        using var message = await SendAsync(RequestMethod.Post, new Uri($"{Endpoint.AbsoluteUri}/$batch"), body, contentType, null, ct);
        var response = message.Response;
        var text = response.Content.ToString();
        if (response.Status != 202)
        {
            var error = ErrorOf(response);
            throw BatchFailure(table, operations, response.Status, error.Code, error.Message, error.Index);
        }
        var parts = BatchPayload.ParseResponse(text);
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i].Status >= 300)
            {
                var p = parts[i];
                var (code, msg, index) = TableErrors.Parse(p.Body, p.Headers.GetValueOrDefault("x-ms-error-code"));
                // Azure prefixes the message with the 0-based index; Content-ID (1-based) is a fallback.
                index ??= p.Headers.TryGetValue("Content-ID", out var cid) && int.TryParse(cid, out var n) ? n - 1 : null;
                index ??= parts.Count == operations.Count ? i : null;
                throw BatchFailure(table, operations, p.Status, code, msg, index);
            }
        }
        if (parts.Count != operations.Count)
        {
            throw new TableStoreException(TableErrorKind.Unavailable,
                $"batch on '{table}': expected {operations.Count} responses, the service returned {parts.Count}");
        }
        return parts.Select((p, i) => operations[i].Kind == TableOperationKind.Delete ? null : p.Headers.GetValueOrDefault("ETag")).ToList();
    }

    private static TableStoreException BatchFailure(string table, IReadOnlyList<TableOperation> operations, int status, string? code, string message, int? index) =>
        index is int i && i >= 0 && i < operations.Count
            ? TableErrors.Create(status, code, message, i, Describe(i, operations[i], table))
            : TableErrors.Create(status, code, message, null, $"batch on '{table}'");

    private static string Describe(int index, TableOperation op, string table) =>
        $"operation {index} ({op.Kind} '{op.Entity.RowKey}' in '{table}')";

    // The raw header: ETags are opaque and go back verbatim in If-Match.
    private static string? RawETag(Response response) => response.Headers.TryGetValue("ETag", out var etag) ? etag : null;

    private static (string? Code, string Message, int? Index) ErrorOf(Response response)
    {
        response.Headers.TryGetValue("x-ms-error-code", out var headerCode);
        return TableErrors.Parse(response.Content.ToString(), headerCode);
    }

    private async Task<HttpMessage> SendAsync(RequestMethod method, Uri uri, byte[]? body, string? contentType,
        Action<Request>? configure, CancellationToken ct)
    {
        var message = pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(uri);
        request.Headers.SetValue("x-ms-version", ServiceVersion);
        request.Headers.SetValue("Accept", JsonMinimal);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        if (body is not null)
        {
            request.Headers.SetValue("Content-Type", contentType ?? "application/json");
            request.Content = RequestContent.Create(body);
        }
        configure?.Invoke(request);
        try
        {
            await pipeline.SendAsync(message, ct);
            return message;
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            message.Dispose();
            throw new TableStoreException(TableErrorKind.Unavailable, $"{method} {uri.GetLeftPart(UriPartial.Path)}: the table service did not answer ({e.Message})", inner: e);
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }
}
