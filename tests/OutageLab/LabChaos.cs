using System.Collections.Concurrent;

namespace OutageLab;

/// <summary>How a /chaos/{name} request fails, if it does.</summary>
public enum ChaosFault
{
    None,
    /// <summary>The connection is dropped after the response headers, before the body (a network-level error).</summary>
    Reset,
    /// <summary>500.</summary>
    ServerError,
    /// <summary>No answer until the client gives up (its timeout), at most <see cref="LabChaos.HangLimit"/>.</summary>
    Hang,
}

/// <summary>
/// Random, reproducible failures for /chaos/{name}: each request fails with probability <see cref="Loss"/>,
/// as a reset, a 5xx or a hang in equal shares. The draw depends only on the seed, the name, the round
/// and how many requests that name already had in the round, never on timing or on other names, so the
/// same seed gives the same failures on every run. Names in <see cref="Down"/> answer 500 to everything.
/// </summary>
public sealed class LabChaos
{
    private readonly ConcurrentDictionary<string, (long Round, int Count)> requests = new(StringComparer.Ordinal);
    private long round;

    public double Loss { get; set; }

    public ulong Seed { get; set; } = 1;

    /// <summary>A hang ends (with a reset) after this long even if the client is still waiting.</summary>
    public TimeSpan HangLimit { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Names that are fully down (a real outage): 500 to every request.</summary>
    public ConcurrentDictionary<string, bool> Down { get; } = new(StringComparer.Ordinal);

    /// <summary>The caller's unit of time (e.g. one probe cycle); the request count per name restarts with each.</summary>
    public long Round
    {
        get => Interlocked.Read(ref round);
        set => Interlocked.Exchange(ref round, value);
    }

    /// <summary>Raised when a request starts hanging, with its name.</summary>
    public event Action<string>? HangStarted;

    public ChaosFault Next(string name)
    {
        if (Down.ContainsKey(name))
        {
            return ChaosFault.ServerError;
        }
        var current = Round;
        var (_, count) = requests.AddOrUpdate(name, (current, 0), (_, seen) => seen.Round == current ? (current, seen.Count + 1) : (current, 0));
        var draw = Mix(Seed, Fnv(name), (ulong)current, (ulong)count);
        if (Unit(draw) >= Loss)
        {
            return ChaosFault.None;
        }
        return (Mix(draw, 0x9E3779B97F4A7C15UL, 0, 0) % 3) switch
        {
            0 => ChaosFault.Reset,
            1 => ChaosFault.ServerError,
            _ => ChaosFault.Hang,
        };
    }

    internal void OnHangStarted(string name) => HangStarted?.Invoke(name);

    private static double Unit(ulong x) => (x >> 11) * (1.0 / (1UL << 53));

    // SplitMix64 over the inputs: cheap, well spread, the same on every platform and run.
    private static ulong Mix(ulong a, ulong b, ulong c, ulong d)
    {
        var x = a;
        foreach (var v in new[] { b, c, d })
        {
            x += 0x9E3779B97F4A7C15UL ^ v;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
        }
        return x;
    }

    private static ulong Fnv(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in s)
        {
            h = (h ^ ch) * 1099511628211UL;
        }
        return h;
    }
}
