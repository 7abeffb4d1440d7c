namespace ServerlessMonitor.Storage;

/// <summary>Row keys from <see cref="From"/> (inclusive) to <see cref="To"/> (exclusive); null = open.</summary>
public sealed record RowKeyRange(string? From, string? To)
{
    public static readonly RowKeyRange All = new(null, null);

    /// <summary>Every row key that starts with <paramref name="prefix"/>.</summary>
    public static RowKeyRange Prefix(string prefix) =>
        new(prefix, prefix[..^1] + (char)(prefix[^1] + 1));

    public bool Contains(string rowKey) =>
        (From is null || string.CompareOrdinal(rowKey, From) >= 0) &&
        (To is null || string.CompareOrdinal(rowKey, To) < 0);
}

/// <summary>A page of a range query; <see cref="ContinuationToken"/> is null on the last page.</summary>
public sealed record TablePage(IReadOnlyList<TableEntity> Items, string? ContinuationToken);
