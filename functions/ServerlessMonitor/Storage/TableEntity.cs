namespace ServerlessMonitor.Storage;

/// <summary>
/// One row of a table: partition key, row key, typed properties and the ETag that guards updates.
/// Property values are string, int, long, double, bool, DateTimeOffset, Guid or byte[].
/// </summary>
public sealed record TableEntity(string PartitionKey, string RowKey, IReadOnlyDictionary<string, object?> Properties)
{
    public string? ETag { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public T? Get<T>(string name) => Properties.TryGetValue(name, out var v) && v is T t ? t : default;

    public string? GetString(string name) => Get<string>(name);

    public long GetInt64(string name, long fallback = 0) => Properties.TryGetValue(name, out var v) ? v switch
    {
        long l => l,
        int i => i,
        double d => (long)d,
        _ => fallback,
    } : fallback;

    public double? GetDouble(string name) => Properties.TryGetValue(name, out var v) ? v switch
    {
        double d => d,
        long l => l,
        int i => i,
        _ => null,
    } : null;

    public DateTimeOffset? GetDate(string name) => Properties.TryGetValue(name, out var v) && v is DateTimeOffset d ? d : null;

    internal static bool IsSupportedValue(object? value) => value is null or string or int or long or double or bool
        or DateTimeOffset or Guid or byte[];
}
