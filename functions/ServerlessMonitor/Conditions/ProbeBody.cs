using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace ServerlessMonitor.Conditions;

/// <summary>
/// A probed body as text, held in a pooled buffer by the prober rather than as one string: a real home page is
/// hundreds of KB, and a string that size per probe lands on the large object heap, which is collected late, so
/// many of them in a row multiply the process's memory. It lives only until its response is judged, which
/// disposes it (the buffer goes back to the pool). Compared by content; a string converts to one.
/// </summary>
public sealed class ProbeBody : IDisposable, IEquatable<ProbeBody>
{
    private readonly ArrayPool<char>? pool;
    private char[]? rented;

    private ProbeBody(ReadOnlyMemory<char> text, ArrayPool<char>? pool, char[]? rented)
    {
        Text = text;
        this.pool = pool;
        this.rented = rented;
    }

    /// <summary>The body decoded as UTF-8; empty once disposed.</summary>
    public ReadOnlyMemory<char> Text { get; private set; }

    public int Length => Text.Length;

    /// <summary>A body over <paramref name="length"/> chars of a buffer rented from <paramref name="pool"/>, returned on dispose.</summary>
    public static ProbeBody Rented(ArrayPool<char> pool, char[] buffer, int length) => new(buffer.AsMemory(0, length), pool, buffer);

    [return: NotNullIfNotNull(nameof(text))]
    public static implicit operator ProbeBody?(string? text) => text is null ? null : new ProbeBody(text.AsMemory(), null, null);

    public void Dispose()
    {
        if (rented is { } buffer)
        {
            rented = null;
            Text = ReadOnlyMemory<char>.Empty;
            pool!.Return(buffer);
        }
    }

    public bool Equals(ProbeBody? other) => other is not null && Text.Span.SequenceEqual(other.Text.Span);

    public override bool Equals(object? obj) => obj is ProbeBody other && Equals(other);

    public override int GetHashCode() => string.GetHashCode(Text.Span, StringComparison.Ordinal);

    /// <summary>The whole body as one string: for tests and small bodies only.</summary>
    public override string ToString() => Text.ToString();
}
