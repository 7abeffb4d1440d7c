using Microsoft.Extensions.Options;

namespace ServerlessMonitor.Admin;

/// <summary>What a failed admin key attempt means for the log: the first of a window is logged, with what came before.</summary>
internal sealed record AdminKeyFailure(bool StartsWindow, int EarlierFailures, int EarlierRefused);

/// <summary>
/// Failed admin key attempts per client address, in fixed windows of <see cref="AdminOptions.FailureWindow"/>
/// that start at an address's first failure. After <see cref="AdminOptions.MaxFailedAttempts"/> failures the
/// address is refused (429) until its window ends — without its key being checked, so guessing gets no
/// answers at all. Bounded: expired windows are dropped, and beyond <see cref="MaxAddresses"/> the oldest go.
/// </summary>
internal sealed class AdminKeyThrottle(IOptions<AdminOptions> options, TimeProvider time)
{
    public const int MaxAddresses = 10_000;

    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>How long <paramref name="address"/> must wait before its next attempt; null when it may try now.</summary>
    public TimeSpan? RetryAfter(string address)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (entries.TryGetValue(address, out var e) && now < End(e) && e.Failures >= options.Value.MaxFailedAttempts)
            {
                e.Refused++;
                return End(e) - now;
            }
            return null;
        }
    }

    /// <summary>Counts a failed attempt of <paramref name="address"/>.</summary>
    public AdminKeyFailure Failed(string address)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (entries.TryGetValue(address, out var e) && now < End(e))
            {
                e.Failures++;
                return new AdminKeyFailure(false, 0, 0);
            }
            if (e is null && entries.Count >= MaxAddresses)
            {
                Prune(now);
            }
            entries[address] = new Entry(now) { Failures = 1 };
            return new AdminKeyFailure(true, e?.Failures ?? 0, e?.Refused ?? 0);
        }
    }

    private DateTimeOffset End(Entry e) => e.Start + options.Value.FailureWindow;

    // Expired windows first; if an attack from many addresses still fills the table, the oldest windows make room.
    private void Prune(DateTimeOffset now)
    {
        foreach (var key in entries.Where(p => now >= End(p.Value)).Select(p => p.Key).ToList())
        {
            entries.Remove(key);
        }
        foreach (var key in entries.OrderBy(p => p.Value.Start).Take(Math.Max(0, entries.Count - MaxAddresses * 9 / 10)).Select(p => p.Key).ToList())
        {
            entries.Remove(key);
        }
    }

    private sealed class Entry(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; } = start;
        public int Failures { get; set; }
        public int Refused { get; set; }
    }
}
