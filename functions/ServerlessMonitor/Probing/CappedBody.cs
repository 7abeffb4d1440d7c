using System.Text;
using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Probing;

/// <summary>A body read up to the cap, and its first bytes kept as evidence once the body itself is dropped.</summary>
internal sealed record CappedBody(ProbeBody Body, bool Truncated, string Excerpt)
{
    public static CappedBody Of(ReadOnlySpan<byte> bytes, bool truncated, int keep, BodyBuffers buffers)
    {
        var chars = buffers.Chars.Rent(Math.Max(Encoding.UTF8.GetCharCount(bytes), 1));
        var length = Encoding.UTF8.GetChars(bytes, chars);
        var excerpt = bytes.Length <= keep ? new string(chars, 0, length) : Encoding.UTF8.GetString(bytes[..CharBoundary(bytes, keep)]);
        return new CappedBody(ProbeBody.Rented(buffers.Chars, chars, length), truncated, excerpt);
    }

    // Never cut a UTF-8 sequence in two: back off over continuation bytes (10xxxxxx) to where a character starts.
    private static int CharBoundary(ReadOnlySpan<byte> bytes, int at)
    {
        var end = at;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80)
        {
            end--;
        }
        return end;
    }
}
