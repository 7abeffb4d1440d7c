namespace ServerlessMonitor.Storage.Sqlite;

/// <summary>
/// The tables of packed steady results (<see cref="PackedResultCodec"/>), added beside <c>rows</c> by an in-place
/// migration: CREATE IF NOT EXISTS, nothing moved. A file written before keeps its full result rows, read as before and
/// merged with the packed ones in key order; new steady results go to <c>results_v1</c>.
/// A row's key is its partition's number in <c>names</c> ("{table}\n{partition}"), the inverted ticks and the region of
/// its row key, so (at, region) sorts exactly like the row key. WITHOUT ROWID and no second index: a check costs one
/// small cell of one b-tree.
/// </summary>
internal static class SqlitePackedSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS names (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
        CREATE TABLE IF NOT EXISTS results_v1 (
            part INTEGER NOT NULL, at INTEGER NOT NULL, region TEXT NOT NULL, ts INTEGER NOT NULL, v BLOB NOT NULL,
            PRIMARY KEY (part, at, region)) WITHOUT ROWID;
        """;

    /// <summary>The names-table text a partition's packed rows are filed under.</summary>
    public static string PartName(string table, string partitionKey) => table + "\n" + partitionKey;

    /// <summary>A packed row's ETag: it changes whenever the row is written again (new time) or differently (new value).</summary>
    public static string ETag(long ts, ReadOnlySpan<byte> packed)
    {
        var hash = 2166136261u;
        foreach (var b in packed)
        {
            hash = (hash ^ b) * 16777619u;
        }
        return $"W/\"p{ts:x}{hash:x8}\"";
    }

    public static DateTimeOffset Timestamp(long ts) => DateTimeOffset.FromUnixTimeMilliseconds(ts);
}
