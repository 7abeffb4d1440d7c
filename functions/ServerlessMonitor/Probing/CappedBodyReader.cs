using System.Buffers;
using System.Net.Http;

namespace ServerlessMonitor.Probing;

/// <summary>Reads a response body up to a cap and never further, whatever the server sends.</summary>
internal static class CappedBodyReader
{
    private const int InitialBuffer = 16 * 1024;

    public static async Task<CappedBody> ReadAsync(HttpContent content, int cap, int keep, BodyBuffers buffers, CancellationToken ct)
    {
        var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            // Small bodies with a declared length get a buffer of their size; others grow as they come.
            var declared = content.Headers.ContentLength;
            var size = declared is { } length && length < cap ? (int)Math.Max(length, 1) : Math.Min(cap, InitialBuffer);
            var buffer = buffers.Bytes.Rent(size);
            var count = 0;
            try
            {
                while (true)
                {
                    var capacity = Math.Min(buffer.Length, cap);
                    if (count == capacity)
                    {
                        if (capacity == cap)
                        {
                            break;
                        }
                        buffer = Grow(buffers.Bytes, buffer, count, Math.Min(cap, buffer.Length * 2));
                        capacity = Math.Min(buffer.Length, cap);
                    }
                    var read = await stream.ReadAsync(buffer.AsMemory(count, capacity - count), ct).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return CappedBody.Of(buffer.AsSpan(0, count), truncated: false, keep, buffers);
                    }
                    count += read;
                }

                // The cap is reached: one more byte tells whether the body goes on. Disposing the
                // response afterwards drops the rest with the connection.
                var truncated = declared > cap || await stream.ReadAsync(new byte[1], ct).ConfigureAwait(false) > 0;
                return CappedBody.Of(buffer.AsSpan(0, count), truncated, keep, buffers);
            }
            finally
            {
                buffers.Bytes.Return(buffer);
            }
        }
    }

    private static byte[] Grow(ArrayPool<byte> pool, byte[] buffer, int count, int size)
    {
        var larger = pool.Rent(size);
        buffer.AsSpan(0, count).CopyTo(larger);
        pool.Return(buffer);
        return larger;
    }
}
