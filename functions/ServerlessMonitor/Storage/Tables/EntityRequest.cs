using Azure.Core;

namespace ServerlessMonitor.Storage.Tables;

/// <summary>
/// One entity operation as an HTTP request, built once and either sent on its own or written into
/// a $batch changeset, so both paths send exactly the same verb, address, headers and body.
/// </summary>
internal sealed record EntityRequest(RequestMethod Method, Uri Uri, string? IfMatch, byte[]? Body)
{
    private static readonly RequestMethod Merge = new("MERGE");

    public static EntityRequest For(Uri endpoint, string table, TableOperation operation)
    {
        var e = operation.Entity;
        var entityUri = new Uri($"{endpoint.AbsoluteUri}/{OData.EntityPath(table, e.PartitionKey, e.RowKey)}");
        // A missing ETag means "whatever is there", as on the SQLite backend.
        var ifMatch = string.IsNullOrEmpty(e.ETag) ? "*" : e.ETag;
        return operation.Kind switch
        {
            TableOperationKind.Insert => new(RequestMethod.Post, new Uri($"{endpoint.AbsoluteUri}/{Uri.EscapeDataString(table)}"), null, EntityJson.Write(e)),
            // Without If-Match, PUT and MERGE on an entity address are Insert Or Replace / Insert Or Merge.
            TableOperationKind.UpsertReplace => new(RequestMethod.Put, entityUri, null, EntityJson.Write(e)),
            TableOperationKind.UpsertMerge => new(Merge, entityUri, null, EntityJson.Write(e)),
            TableOperationKind.Update => new(RequestMethod.Put, entityUri, ifMatch, EntityJson.Write(e)),
            TableOperationKind.Delete => new(RequestMethod.Delete, entityUri, ifMatch, null),
            _ => throw new TableStoreException(TableErrorKind.BadRequest, $"unknown operation kind {operation.Kind}"),
        };
    }

    /// <summary>Inserts ask for no echo of the entity: the ETag header is all we need.</summary>
    public bool PreferNoContent => Method == RequestMethod.Post;
}
