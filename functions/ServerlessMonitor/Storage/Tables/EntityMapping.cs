using Azure;
using Azure.Data.Tables;
using SdkEntity = Azure.Data.Tables.TableEntity;

namespace ServerlessMonitor.Storage.Tables;

/// <summary>
/// Our <see cref="TableEntity"/> to the SDK's and back. The SDK does the wire format (EDM
/// annotations for Int64, Double, DateTime, Guid, Binary); this only keeps the port's promises:
/// null means absent, dates come back in UTC, ETags travel verbatim.
/// </summary>
internal static class EntityMapping
{
    public static SdkEntity ToSdk(TableEntity entity)
    {
        var sdk = new SdkEntity(entity.PartitionKey, entity.RowKey);
        foreach (var (name, value) in entity.Properties)
        {
            // Null means "no value": absent on both backends.
            if (value is not null)
            {
                sdk[name] = value;
            }
        }
        return sdk;
    }

    public static TableEntity FromSdk(SdkEntity sdk)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in sdk)
        {
            // Keys, Timestamp and odata.* are service metadata; a selected property the row lacks comes back as null.
            if (value is null || name is "PartitionKey" or "RowKey" or "Timestamp" || name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains('@'))
            {
                continue;
            }
            properties[name] = value switch
            {
                DateTimeOffset d => d.ToUniversalTime(),
                DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                BinaryData b => b.ToArray(),
                _ when TableEntity.IsSupportedValue(value) => value,
                _ => throw new TableStoreException(TableErrorKind.BadRequest, $"property '{name}' has unsupported type {value.GetType().Name}"),
            };
        }
        return new TableEntity(sdk.PartitionKey, sdk.RowKey, properties) { ETag = Text(sdk.ETag), Timestamp = sdk.Timestamp };
    }

    /// <summary>A missing ETag means "whatever is there", as on the SQLite backend.</summary>
    public static ETag IfMatch(TableEntity entity) => string.IsNullOrEmpty(entity.ETag) ? ETag.All : new ETag(entity.ETag);

    /// <summary>The raw ETag (W/"datetime'…'"): opaque to us, it goes back verbatim in If-Match.</summary>
    public static string? Text(ETag? etag) => etag is { } e && e != default ? e.ToString() : null;

    public static TableTransactionAction ToAction(TableOperation operation)
    {
        var sdk = ToSdk(operation.Entity);
        return operation.Kind switch
        {
            TableOperationKind.Insert => new(TableTransactionActionType.Add, sdk),
            TableOperationKind.UpsertMerge => new(TableTransactionActionType.UpsertMerge, sdk),
            TableOperationKind.UpsertReplace => new(TableTransactionActionType.UpsertReplace, sdk),
            TableOperationKind.Update => new(TableTransactionActionType.UpdateReplace, sdk, IfMatch(operation.Entity)),
            TableOperationKind.Delete => new(TableTransactionActionType.Delete, sdk, IfMatch(operation.Entity)),
            _ => throw new TableStoreException(TableErrorKind.BadRequest, $"unknown operation kind {operation.Kind}"),
        };
    }
}
