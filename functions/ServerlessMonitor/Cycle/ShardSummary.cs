using System.IO.Compression;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// The compact summary a queued shard leaves on its completion row: for each endpoint it recorded, the current hourly and
/// daily rollup rows of its region and when it was checked (<see cref="LiveRows"/>). The shard that completes the cycle
/// reads every completion row anyway; with the summaries it learns what the other shards' probes wrote, so its snapshot
/// build serves today and this hour from memory (<see cref="RecentRollups"/>) instead of reading them per endpoint.
/// Encoded here only: binary, Brotli-compressed, base64, cut into properties of at most <see cref="ChunkChars"/> characters
/// (Table Storage takes 64 KiB per property, UTF-16) and at most <see cref="MaxChunks"/> of them (1 MiB per entity).
/// A summary that would not fit is left off: the build then reads those endpoints, as without one.
/// </summary>
internal static class ShardSummary
{
    public const int ChunkChars = 30_000;
    public const int MaxChunks = 12;
    private const string Property = "Summary";
    private const byte Version = 1;

    /// <summary>The properties carrying <paramref name="endpoints"/> (none when empty or too large).</summary>
    public static IReadOnlyDictionary<string, object?> Properties(IReadOnlyList<(string Partition, LiveRows Rows)> endpoints)
    {
        if (endpoints.Count == 0)
        {
            return new Dictionary<string, object?>();
        }
        var text = Convert.ToBase64String(Encode(endpoints));
        var chunks = text.Chunk(ChunkChars).Select(c => new string(c)).ToList();
        return chunks.Count > MaxChunks
            ? new Dictionary<string, object?>()
            : chunks.Select((c, i) => (Name: Property + i, Value: c)).ToDictionary(p => p.Name, p => (object?)p.Value);
    }

    /// <summary>The endpoints a completion row's summary carries; empty without one. Throws <see cref="FormatException"/> when it is damaged.</summary>
    public static IReadOnlyList<(string Partition, LiveRows Rows)> Read(TableEntity row)
    {
        var text = string.Concat(Enumerable.Range(0, MaxChunks).Select(i => row.GetString(Property + i)).TakeWhile(c => c is not null));
        if (text.Length == 0)
        {
            return [];
        }
        try
        {
            return Decode(Convert.FromBase64String(text));
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException($"completion row {row.RowKey}: summary is damaged ({e.Message})", e);
        }
    }

    private static byte[] Encode(IReadOnlyList<(string Partition, LiveRows Rows)> endpoints)
    {
        // Written whole, then compressed in one go (a compressor fed a few bytes per write compresses nothing).
        using var raw = new MemoryStream();
        using (var w = new BinaryWriter(raw, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            w.Write7BitEncodedInt(endpoints.Count);
            foreach (var (partition, rows) in endpoints)
            {
                w.Write(partition);
                w.Write(rows.LastCheck.UtcTicks);
                Write(w, rows.Hour);
                Write(w, rows.Day);
            }
        }
        using var compressed = new MemoryStream();
        using (var brotli = new BrotliStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            brotli.Write(raw.GetBuffer(), 0, (int)raw.Length);
        }
        return compressed.ToArray();
    }

    private static List<(string, LiveRows)> Decode(byte[] bytes)
    {
        using var raw = new MemoryStream();
        using (var brotli = new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress))
        {
            brotli.CopyTo(raw);
        }
        raw.Position = 0;
        using var r = new BinaryReader(raw);
        if (r.ReadByte() != Version)
        {
            throw new InvalidDataException("unknown summary version");
        }
        var count = r.Read7BitEncodedInt();
        var endpoints = new List<(string, LiveRows)>(count);
        for (var i = 0; i < count; i++)
        {
            var partition = r.ReadString();
            var lastCheck = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero);
            endpoints.Add((partition, new LiveRows(lastCheck, ReadRow(r), ReadRow(r))));
        }
        return endpoints;
    }

    private static void Write(BinaryWriter w, LiveRow row)
    {
        var t = row.Totals;
        w.Write(row.RowKey);
        foreach (var n in (ReadOnlySpan<long>)[t.Up, t.Degraded, t.Down, t.Maintenance])
        {
            w.Write7BitEncodedInt64(n);
        }
        w.Write(t.LatencySumMs);
        w.Write7BitEncodedInt(t.Histogram.Length);
        foreach (var n in t.Histogram)
        {
            w.Write7BitEncodedInt64(n);
        }
    }

    private static LiveRow ReadRow(BinaryReader r)
    {
        var key = r.ReadString();
        var (up, degraded, down, maintenance) = (r.Read7BitEncodedInt64(), r.Read7BitEncodedInt64(), r.Read7BitEncodedInt64(), r.Read7BitEncodedInt64());
        var latency = r.ReadDouble();
        var buckets = r.Read7BitEncodedInt();
        if (buckets != RollupTotals.BucketBounds.Length + 1)
        {
            throw new InvalidDataException($"{buckets} latency buckets, expected {RollupTotals.BucketBounds.Length + 1}");
        }
        var histogram = new long[buckets];
        for (var i = 0; i < histogram.Length; i++)
        {
            histogram[i] = r.Read7BitEncodedInt64();
        }
        return new LiveRow(key, new RollupTotals(up, degraded, down, maintenance, latency, histogram));
    }
}
