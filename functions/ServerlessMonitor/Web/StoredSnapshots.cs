using System.IO.Compression;
using System.Text;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Web;

/// <summary>
/// The public read model in storage, so that any instance can load it with one point read (has the
/// version changed?) and one range query (its parts). Layout, in the Status table, partition "snapshot":
/// <c>current</c> = Version, BuiltAt, Parts, PreviousVersion, PreviousParts; <c>part-{version}-{0000}</c> =
/// Data, up to 60 000 bytes of the Brotli-compressed snapshot each (a binary property holds at most 64 KiB).
/// Parts are written before the pointer moves, so a reader never sees half a version; the version before
/// the current one is kept for readers that are still loading it, older ones are deleted.
/// </summary>
internal sealed class StoredSnapshots(ITableStore store, MonitorTables tables)
{
    public const string Partition = "snapshot";
    private const string PointerKey = "current";
    private const int PartBytes = 60_000;
    private const int PartsPerBatch = 50; // 50 × 60 KB stays under the 4 MiB batch limit

    /// <summary>The stored version, or null when none was written yet. One point read.</summary>
    public async Task<StoredPointer?> ReadPointerAsync(CancellationToken ct) =>
        await store.GetAsync(tables.Status, Partition, PointerKey, ct) is { } row ? StoredPointer.From(row) : null;

    /// <summary>The answers of a stored version; null when its parts are incomplete (replaced while loading).</summary>
    public async Task<IReadOnlyList<SnapshotCodec.Answer>?> ReadAsync(StoredPointer pointer, CancellationToken ct)
    {
        var parts = new List<byte[]>();
        await foreach (var row in store.QueryAllAsync(tables.Status, Partition, RowKeyRange.Prefix($"part-{pointer.Version}-"), ct: ct))
        {
            parts.Add(row.Get<byte[]>("Data") ?? []);
        }
        return parts.Count == pointer.Parts ? SnapshotCodec.Decode(parts.SelectMany(p => p).ToArray()) : null;
    }

    public async Task WriteAsync(PublicSnapshot snapshot, CancellationToken ct)
    {
        var previous = await ReadPointerAsync(ct);
        if (previous?.Version == snapshot.Version)
        {
            return; // another instance (or this one) stored the same content already
        }
        var parts = SnapshotCodec.Encode(snapshot).Chunk(PartBytes).ToList();
        foreach (var batch in parts.Select((data, i) => Part(snapshot.Version, i, data)).Chunk(PartsPerBatch))
        {
            await store.SubmitBatchAsync(tables.Status, batch.Select(TableOperation.UpsertReplace).ToList(), ct);
        }
        await store.ExecuteAsync(tables.Status, TableOperation.UpsertReplace(new TableEntity(Partition, PointerKey, new Dictionary<string, object?>
        {
            ["Version"] = snapshot.Version,
            ["BuiltAt"] = snapshot.BuiltAt,
            ["Parts"] = parts.Count,
            ["PreviousVersion"] = previous?.Version ?? "",
            ["PreviousParts"] = previous?.Parts ?? 0,
        })), ct);
        if (previous is { PreviousVersion: { Length: > 0 } stale } && stale != snapshot.Version)
        {
            await DeleteAsync(stale, previous.PreviousParts, ct);
        }
    }

    private async Task DeleteAsync(string version, int parts, CancellationToken ct)
    {
        foreach (var batch in Enumerable.Range(0, parts).Chunk(TableStoreExtensions.MaxBatchOperations))
        {
            try
            {
                await store.SubmitBatchAsync(tables.Status, batch.Select(i => TableOperation.Delete(Partition, PartKey(version, i))).ToList(), ct);
            }
            catch (TableStoreException e) when (e.Kind == TableErrorKind.NotFound)
            {
                // Another writer cleaned up first.
            }
        }
    }

    private static TableEntity Part(string version, int index, byte[] data) =>
        new(Partition, PartKey(version, index), new Dictionary<string, object?> { ["Data"] = data });

    private static string PartKey(string version, int index) => $"part-{version}-{index:D4}";
}

internal sealed record StoredPointer(string Version, DateTimeOffset BuiltAt, int Parts, string PreviousVersion, int PreviousParts)
{
    public static StoredPointer From(TableEntity row) => new(row.GetString("Version") ?? "", row.GetDate("BuiltAt") ?? DateTimeOffset.MinValue,
        (int)row.GetInt64("Parts"), row.GetString("PreviousVersion") ?? "", (int)row.GetInt64("PreviousParts"));
}

/// <summary>The stored form of a snapshot: its answers (key, content type, ETag, built at, bytes), Brotli-compressed.</summary>
internal static class SnapshotCodec
{
    internal sealed record Answer(string Key, string ContentType, string ETag, DateTimeOffset LastModified, byte[] Body);

    public static byte[] Encode(PublicSnapshot snapshot)
    {
        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.Fastest))
        using (var writer = new BinaryWriter(brotli, Encoding.UTF8))
        {
            writer.Write(snapshot.Entries.Count);
            foreach (var (key, entry) in snapshot.Entries)
            {
                writer.Write(key);
                writer.Write(entry.ContentType);
                writer.Write(entry.ETag);
                writer.Write(entry.LastModified.UtcTicks);
                writer.Write(entry.Identity.Length);
                writer.Write(entry.Identity);
            }
        }
        return output.ToArray();
    }

    public static IReadOnlyList<Answer> Decode(byte[] data)
    {
        using var reader = new BinaryReader(new BrotliStream(new MemoryStream(data), CompressionMode.Decompress), Encoding.UTF8);
        var count = reader.ReadInt32();
        var answers = new List<Answer>(count);
        for (var i = 0; i < count; i++)
        {
            answers.Add(new Answer(reader.ReadString(), reader.ReadString(), reader.ReadString(),
                new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero), reader.ReadBytes(reader.ReadInt32())));
        }
        return answers;
    }
}
