using System.IO.Compression;

namespace ServerlessMonitor.Web;

/// <summary>
/// One public answer, ready to send: the UTF-8 bytes, their gzip and Brotli variants (compressed once,
/// when the answer was built, not per request), the version ETag and when that version was built.
/// </summary>
internal sealed record SnapshotEntry(string ContentType, string ETag, DateTimeOffset LastModified, byte[] Identity, byte[]? Gzip, byte[]? Brotli)
{
    /// <summary>Last-Modified as sent (RFC 1123), formatted once.</summary>
    public string LastModifiedHeader { get; } = LastModified.ToString("R");

    /// <summary>Below this a compressed variant saves less than the headers it needs.</summary>
    private const int MinCompressedBytes = 512;

    public static SnapshotEntry Create(string contentType, string etag, DateTimeOffset lastModified, byte[] identity) =>
        identity.Length < MinCompressedBytes
            ? new(contentType, etag, lastModified, identity, null, null)
            : new(contentType, etag, lastModified, identity, GzipOf(identity), BrotliOf(identity));

    /// <summary>The same answer under another version: same bytes, same variants.</summary>
    public bool SameContentAs(byte[] identity, string contentType) =>
        ContentType == contentType && Identity.AsSpan().SequenceEqual(identity);

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
        // Quality 5 of 11: this runs for every answer that changed, i.e. most of them after every probe cycle, and
        // quality 9 was 70% of a snapshot build; 5 stays well ahead of gzip in size. The window is sized to the
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
