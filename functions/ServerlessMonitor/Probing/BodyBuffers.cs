using System.Buffers;

namespace ServerlessMonitor.Probing;

/// <summary>
/// The buffers bodies are read and decoded into, one pair of pools per prober: bounded (a few arrays per size, as
/// many as probes run at once), so that reading real pages costs the same few buffers over and over instead of a
/// new large-object-heap array per probe.
/// </summary>
internal sealed class BodyBuffers(int maxBodyBytes)
{
    private const int ArraysPerSize = 16;

    public ArrayPool<byte> Bytes { get; } = ArrayPool<byte>.Create(maxBodyBytes, ArraysPerSize);

    /// <summary>UTF-8 never decodes to more chars than it has bytes.</summary>
    public ArrayPool<char> Chars { get; } = ArrayPool<char>.Create(maxBodyBytes, ArraysPerSize);
}
