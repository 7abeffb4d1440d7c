using System.IO.Compression;
using System.Text;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Web;

/// <summary>
/// The public read model in storage, so that any instance can load it with one point read (has the
/// version changed?) and one range query (its parts). Layout, in the Status table, partition "snapshot":
/// <c>current</c> = Version, BuiltAt, Parts, PreviousVersion, PreviousParts; <c>part-{version}-{0000}</c> =
/// Data, up to 60 000 bytes of the Brotli-compressed snapshot each (a binary property holds at most 64 KiB).
/// Parts are written before the pointer moves, so a reader never sees half a version; the pointer moves by
/// compare-and-swap on its ETag; the version before the current one is kept for readers that are still loading it,
/// older ones and the parts of a build that lost to a newer one are deleted.
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

    /// <summary>
    /// Stores a version and moves the pointer to it, compare-and-swap on the pointer's ETag: another instance that moved
    /// the pointer meanwhile makes this one read it again, and a pointer to a build newer than this one is never replaced
    /// (a slower, older build gives up and deletes the parts it wrote). False when this version was not published.
    /// </summary>
    public async Task<bool> WriteAsync(PublicSnapshot snapshot, CancellationToken ct)
    {
        var previous = await ReadPointerAsync(ct);
        if (previous?.Version == snapshot.Version)
        {
            return true; // another instance (or this one) stored the same content already
        }
        if (IsNewer(previous, snapshot))
        {
            return false;
        }
        var parts = SnapshotCodec.Encode(snapshot).Chunk(PartBytes).ToList();
        foreach (var batch in parts.Select((data, i) => Part(snapshot.Version, i, data)).Chunk(PartsPerBatch))
        {
            await store.SubmitBatchAsync(tables.Status, batch.Select(TableOperation.UpsertReplace).ToList(), ct);
        }
        while (true)
        {
            if (await TrySwapAsync(previous, snapshot, parts.Count, ct))
            {
                if (previous is { PreviousVersion: { Length: > 0 } stale } && stale != snapshot.Version)
                {
                    await DeleteAsync(stale, previous.PreviousParts, ct);
                }
                return true;
            }
            // Lost the race: the pointer moved. Try again over it, unless it now names this version or a newer build.
            previous = await ReadPointerAsync(ct);
            if (previous?.Version == snapshot.Version)
            {
                return true;
            }
            if (IsNewer(previous, snapshot))
            {
                if (previous!.PreviousVersion != snapshot.Version)
                {
                    await DeleteAsync(snapshot.Version, parts.Count, ct); // nobody will ever point at them
                }
                return false;
            }
        }
    }

    // The stored pointer names a build made after this one: it must stay.
    private static bool IsNewer(StoredPointer? stored, PublicSnapshot snapshot) => stored is not null && stored.BuiltAt > snapshot.BuiltAt;

    /// <summary>Inserts the pointer, or replaces the one read if its ETag still matches; false when another writer got there first.</summary>
    private async Task<bool> TrySwapAsync(StoredPointer? previous, PublicSnapshot snapshot, int parts, CancellationToken ct)
    {
        var row = new TableEntity(Partition, PointerKey, new Dictionary<string, object?>
        {
            ["Version"] = snapshot.Version,
            ["BuiltAt"] = snapshot.BuiltAt,
            ["Parts"] = parts,
            ["PreviousVersion"] = previous?.Version ?? "",
            ["PreviousParts"] = previous?.Parts ?? 0,
        }) { ETag = previous?.ETag };
        try
        {
            await store.ExecuteAsync(tables.Status, previous is null ? TableOperation.Insert(row) : TableOperation.Update(row), ct);
            return true;
        }
        catch (TableStoreException e) when (e.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.Conflict)
        {
            return false;
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

/// <summary>The stored pointer; <see cref="ETag"/> guards the next move.</summary>
internal sealed record StoredPointer(string Version, DateTimeOffset BuiltAt, int Parts, string PreviousVersion, int PreviousParts, string? ETag = null)
{
    public static StoredPointer From(TableEntity row) => new(row.GetString("Version") ?? "", row.GetDate("BuiltAt") ?? DateTimeOffset.MinValue,
        (int)row.GetInt64("Parts"), row.GetString("PreviousVersion") ?? "", (int)row.GetInt64("PreviousParts"), row.ETag);
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
