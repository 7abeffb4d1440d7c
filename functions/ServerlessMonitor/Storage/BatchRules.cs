using System.Buffers;

namespace ServerlessMonitor.Storage;

/// <summary>The entity-group-transaction rules of Azure Tables, enforced by both backends alike.</summary>
internal static class BatchRules
{
    public static void Validate(IReadOnlyList<TableOperation> operations)
    {
        if (operations.Count == 0)
        {
            throw new TableStoreException(TableErrorKind.BadRequest, "a batch needs at least one operation");
        }
        if (operations.Count > TableStoreExtensions.MaxBatchOperations)
        {
            throw new TableStoreException(TableErrorKind.BadRequest,
                $"a batch holds at most {TableStoreExtensions.MaxBatchOperations} operations, got {operations.Count}");
        }
        var pk = operations[0].Entity.PartitionKey;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < operations.Count; i++)
        {
            var e = operations[i].Entity;
            if (e.PartitionKey != pk)
            {
                throw new TableStoreException(TableErrorKind.BadRequest,
                    $"operation {i}: all operations of a batch must share one partition key ('{pk}'), got '{e.PartitionKey}'", i);
            }
            if (!seen.Add(e.RowKey))
            {
                throw new TableStoreException(TableErrorKind.BadRequest, $"operation {i}: row '{e.RowKey}' appears twice in one batch", i);
            }
            KeyRules.Validate(e.PartitionKey, e.RowKey);
            foreach (var (name, value) in e.Properties)
            {
                if (!TableEntity.IsSupportedValue(value))
                {
                    throw new TableStoreException(TableErrorKind.BadRequest, $"operation {i}: property '{name}' has unsupported type {value!.GetType().Name}", i);
                }
            }
        }
        var bytes = BatchSize.UpperBound(operations);
        if (bytes > BatchSize.MaxPayloadBytes)
        {
            // Splitting would break atomicity, which is the whole point of a batch.
            throw new TableStoreException(TableErrorKind.BadRequest,
                $"a batch payload is limited to 4 MiB ({BatchSize.MaxPayloadBytes} bytes), this one needs up to {bytes} bytes");
        }
    }
}

/// <summary>Key characters Azure Tables forbids; checked on both backends so data stays portable.</summary>
internal static class KeyRules
{
    public static void Validate(string partitionKey, string rowKey)
    {
        Check("PartitionKey", partitionKey);
        Check("RowKey", rowKey);
    }

    // '/', '\\', '#', '?' and the control characters (what char.IsControl is true for).
    private static readonly SearchValues<char> Forbidden = SearchValues.Create(
        [.. "/\\#?", .. Enumerable.Range(0, 0x20).Select(c => (char)c), .. Enumerable.Range(0x7F, 0x21).Select(c => (char)c)]);

    private static void Check(string what, string key)
    {
        if (key.Length > 1024 || key.AsSpan().ContainsAny(Forbidden))
        {
            throw new TableStoreException(TableErrorKind.BadRequest, $"{what} '{key}' contains a character Azure Tables forbids (/ \\ # ? or control) or is too long");
        }
    }
}
