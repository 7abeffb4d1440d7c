namespace ServerlessMonitor.Storage;

public enum TableOperationKind
{
    /// <summary>Fails with Conflict when the row exists.</summary>
    Insert,
    /// <summary>Creates the row or merges the given properties into it.</summary>
    UpsertMerge,
    /// <summary>Creates the row or replaces all of its properties.</summary>
    UpsertReplace,
    /// <summary>Replaces an existing row; guarded by <see cref="TableEntity.ETag"/> ("*" = any).</summary>
    Update,
    /// <summary>Deletes an existing row; guarded by <see cref="TableEntity.ETag"/> ("*" = any).</summary>
    Delete,
}

public sealed record TableOperation(TableOperationKind Kind, TableEntity Entity)
{
    public static TableOperation Insert(TableEntity e) => new(TableOperationKind.Insert, e);
    public static TableOperation UpsertMerge(TableEntity e) => new(TableOperationKind.UpsertMerge, e);
    public static TableOperation UpsertReplace(TableEntity e) => new(TableOperationKind.UpsertReplace, e);

    /// <summary>Update guarded by the entity's ETag; an entity without ETag updates unconditionally.</summary>
    public static TableOperation Update(TableEntity e) => new(TableOperationKind.Update, e);

    public static TableOperation Delete(string partitionKey, string rowKey, string etag = "*") =>
        new(TableOperationKind.Delete, new TableEntity(partitionKey, rowKey, EmptyProperties) { ETag = etag });

    private static readonly IReadOnlyDictionary<string, object?> EmptyProperties = new Dictionary<string, object?>();
}
