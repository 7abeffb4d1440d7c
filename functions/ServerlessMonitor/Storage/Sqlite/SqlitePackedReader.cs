using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace ServerlessMonitor.Storage.Sqlite;

/// <summary>
/// The readers' side of packed results (<see cref="SqlitePackedSchema"/>): rows of a partition's row-key range, built
/// back into the entities that were written. Names are cached once read (committed names never change).
/// </summary>
internal sealed class SqlitePackedReader
{
    // Every result key lies in ["result-0", "result-:"): a range outside it never looks at the packed table.
    private const string Lowest = "result-0", Beyond = "result-:";
    private const int MaxCached = 100_000;
    private const string Key = "('result-' || printf('%019d', at) || '-' || region)";

    private readonly ConcurrentDictionary<string, long> _ids = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, string> _texts = new();

    public TableEntity? Get(SqliteConnection c, string table, string partitionKey, string rowKey)
    {
        if (!MonitorTables.TryParseResultKey(rowKey, out var at, out var region) || Find(c, table, partitionKey) is not { } part)
        {
            return null;
        }
        using var cmd = Command(c, "SELECT at, region, ts, v FROM results_v1 WHERE part = $p AND at = $a AND region = $r", ("$p", part), ("$a", at), ("$r", region));
        return ReadAll(c, cmd, partitionKey, null).FirstOrDefault();
    }

    /// <summary>Up to <paramref name="limit"/> rows of the range in row-key order.</summary>
    public IReadOnlyList<TableEntity> Query(SqliteConnection c, string table, string partitionKey, string? from, bool fromExclusive, string? to,
        int limit, IReadOnlyList<string>? select)
    {
        if (to is not null && string.CompareOrdinal(to, Lowest) <= 0 || from is not null && string.CompareOrdinal(from, Beyond) >= 0
            || Find(c, table, partitionKey) is not { } part)
        {
            return [];
        }
        // Loose bounds on the ticks keep the search on the index; the exact bounds are on the row key itself.
        using var cmd = Command(c, $"""
            SELECT at, region, ts, v FROM results_v1 WHERE part = $p AND at >= $lo AND at <= $hi
            {(from is null ? "" : fromExclusive ? $"AND {Key} > $from" : $"AND {Key} >= $from")}
            {(to is null ? "" : $"AND {Key} < $to")}
            ORDER BY at, region LIMIT $limit
            """, ("$p", part), ("$lo", Ticks(from, '0')), ("$hi", Ticks(to, '9')), ("$from", from), ("$to", to), ("$limit", limit));
        return ReadAll(c, cmd, partitionKey, select);
    }

    /// <summary>A bound on the inverted ticks of keys beyond <paramref name="key"/>: its digits after "result-", padded.</summary>
    private static long Ticks(string? key, char pad)
    {
        if (key is null || !key.StartsWith("result-", StringComparison.Ordinal))
        {
            return pad == '0' ? long.MinValue : long.MaxValue;
        }
        var digits = new string(key.Skip(7).TakeWhile(char.IsAsciiDigit).Take(19).ToArray()).PadRight(19, pad);
        return decimal.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) is var d && d > long.MaxValue ? long.MaxValue : (long)d;
    }

    private List<TableEntity> ReadAll(SqliteConnection c, SqliteCommand cmd, string partitionKey, IReadOnlyList<string>? select)
    {
        var rows = new List<(long At, string Region, long Ts, byte[] Packed)>();
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                rows.Add((r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetFieldValue<byte[]>(3)));
            }
        }
        return rows.Select(row => new TableEntity(partitionKey, MonitorTables.ResultKeyOf(row.At, row.Region),
            PackedResultCodec.Unpack(row.Packed, row.At, row.Region, id => Text(c, id), select))
        {
            ETag = SqlitePackedSchema.ETag(row.Ts, row.Packed),
            Timestamp = SqlitePackedSchema.Timestamp(row.Ts),
        }).ToList();
    }

    private long? Find(SqliteConnection c, string table, string partitionKey)
    {
        var name = SqlitePackedSchema.PartName(table, partitionKey);
        if (_ids.TryGetValue(name, out var id))
        {
            return id;
        }
        using var cmd = Command(c, "SELECT id FROM names WHERE text = $text", ("$text", name));
        if (cmd.ExecuteScalar() is not long found)
        {
            return null;
        }
        if (_ids.Count < MaxCached)
        {
            _ids[name] = found;
        }
        return found;
    }

    private string Text(SqliteConnection c, long id)
    {
        if (_texts.TryGetValue(id, out var text))
        {
            return text;
        }
        using var cmd = Command(c, "SELECT text FROM names WHERE id = $id", ("$id", id));
        text = cmd.ExecuteScalar() as string ?? throw new InvalidDataException($"packed result: name {id} is missing");
        if (_texts.Count < MaxCached)
        {
            _texts[id] = text;
        }
        return text;
    }

    private static SqliteCommand Command(SqliteConnection c, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return cmd;
    }
}
