using System.IO.Compression;

namespace ServerlessMonitor.Web;

/// <summary>
/// One public answer, ready to send: the UTF-8 bytes, the version ETag and when that version was built, and its gzip and
/// Brotli variants — each compressed once per answer, by the first request that accepts it, never per request and never
/// by the build: most answers of a cycle are replaced by the next cycle before anybody asks for them compressed, and
/// compressing every changed answer was a tenth of the standalone host's CPU (docs/SNAPSHOT-CPU.md).
/// </summary>
internal sealed record SnapshotEntry(string ContentType, string ETag, DateTimeOffset LastModified, byte[] Identity)
{
    private readonly Variant gzip = new(GzipOf);
    private readonly Variant brotli = new(BrotliOf);

    /// <summary>Last-Modified as sent (RFC 1123), formatted once.</summary>
    public string LastModifiedHeader { get; } = LastModified.ToString("R");

    /// <summary>Below this a compressed variant saves less than the headers it needs.</summary>
    private const int MinCompressedBytes = 512;

    public static SnapshotEntry Create(string contentType, string etag, DateTimeOffset lastModified, byte[] identity) =>
        new(contentType, etag, lastModified, identity);

    /// <summary>The gzip variant, compressed on the first call (concurrent callers wait for that one); null for a small answer.</summary>
    public byte[]? GzipBytes() => gzip.Of(Identity);

    /// <summary>The Brotli variant, compressed on the first call (concurrent callers wait for that one); null for a small answer.</summary>
    public byte[]? BrotliBytes() => brotli.Of(Identity);

    /// <summary>Whether a variant was compressed already (tests and the build's metrics: the build itself compresses nothing).</summary>
    internal bool Compressed => gzip.Done || brotli.Done;

    /// <summary>The same answer under another version: same bytes, same variants.</summary>
    public bool SameContentAs(byte[] identity, string contentType) =>
        ContentType == contentType && Identity.AsSpan().SequenceEqual(identity);

    /// <summary>One compressed variant: made by the first caller, under a lock, so racing requests compress it once.</summary>
    private sealed class Variant(Func<byte[], byte[]> compress)
    {
        private readonly Lock gate = new();
        private byte[]? bytes;

        public bool Done => Volatile.Read(ref bytes) is not null;

        public byte[]? Of(byte[] identity)
        {
            if (identity.Length < MinCompressedBytes)
            {
                return null;
            }
            if (Volatile.Read(ref bytes) is { } done)
            {
                return done;
            }
            lock (gate)
            {
                return bytes ??= compress(identity);
            }
        }
    }

    private static byte[] GzipOf(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(bytes);
        }
        return output.ToArray();
    }

    private static byte[] BrotliOf(byte[] bytes)
    {
        // Quality 5 of 11: this runs once for every answer that changed and was asked for compressed (it used to run in every
        // snapshot build, where quality 9 was 70% of the build); 5 stays well ahead of gzip in size. The window is sized to the
        // answer (2^16 to 2^22 bytes): a big window on a small answer only costs its setup.
        var window = Math.Clamp((int)Math.Ceiling(Math.Log2(Math.Max(bytes.Length, 1))), 16, 22);
        var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(bytes.Length)];
        return BrotliEncoder.TryCompress(bytes, buffer, out var written, quality: 5, window: window)
            ? buffer[..written]
            : throw new InvalidOperationException("Brotli compression failed");
    }
}

/// <summary>The public read model at one version: every snapshot answer by key (see <see cref="SnapshotKeys"/>).</summary>
internal sealed record PublicSnapshot(string Version, DateTimeOffset BuiltAt, IReadOnlyDictionary<string, SnapshotEntry> Entries);
