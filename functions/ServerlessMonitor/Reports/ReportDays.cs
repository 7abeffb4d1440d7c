using System.Collections.Concurrent;

namespace ServerlessMonitor.Reports;

/// <summary>
/// Report totals of whole days that are over, kept per service, so a count over a long window (the comparison's
/// year of user reports, after every probe cycle) does not read every 5-minute bucket of the window each time: a
/// busy service has up to 288 buckets a day, 105,120 in a year. A day is kept once it has been over for
/// <see cref="Seal"/> (a report is counted in the bucket of the clock of the instance that took it, which may run a
/// little behind), and never read again; only the days not kept yet are read, in one range query.
/// </summary>
internal sealed class ReportDays
{
    /// <summary>How long after midnight a day is still read live.</summary>
    public static readonly TimeSpan Seal = TimeSpan.FromHours(1);

    // A year and a day: the longest window asked for (365 days) starts inside its first day.
    private const int MaxDays = 366;

    private readonly ConcurrentDictionary<string, Kept> _kept = new(StringComparer.Ordinal);

    /// <summary>
    /// Splits [from, to) into a part read live before the first whole day, whole sealed days, and a live part after
    /// them; null when the window holds no whole sealed day (short windows are simply read).
    /// </summary>
    public static (DateOnly First, DateOnly Last)? SealedDays(DateTimeOffset from, DateTimeOffset to)
    {
        var first = DateOnly.FromDateTime(from.UtcDateTime);
        if (Start(first) < from)
        {
            first = first.AddDays(1);
        }
        var last = DateOnly.FromDateTime((to - Seal).UtcDateTime).AddDays(-1);
        return last >= first ? (first, last) : null;
    }

    public static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The reports of the sealed days [first, last]: from memory, reading (one query) only the days not kept yet.</summary>
    /// <param name="readDays">Reads the totals of the days [a, b], one per day.</param>
    public async Task<long> SumAsync(string service, DateOnly first, DateOnly last, Func<DateOnly, DateOnly, Task<long[]>> readDays)
    {
        var kept = _kept.GetValueOrDefault(service);
        if (kept is null || kept.First > first || kept.Last < first.AddDays(-1))
        {
            // Nothing kept that this window can grow from: read the window's days.
            kept = new Kept(first, await readDays(first, last));
        }
        else if (kept.Last < last)
        {
            kept = kept.Append(await readDays(kept.Last.AddDays(1), last));
        }
        var oldest = last.AddDays(1 - MaxDays);
        kept = kept.From(oldest < first ? oldest : first);
        // Days only move forward: a caller with an older view does not take back what a newer one kept.
        _kept.AddOrUpdate(service, kept, (_, other) => other.Last > kept.Last ? other : kept);
        return kept.Sum(first, last);
    }

    /// <summary>Totals of consecutive days from <see cref="First"/>.</summary>
    private sealed record Kept(DateOnly First, long[] Totals)
    {
        public DateOnly Last => First.AddDays(Totals.Length - 1);

        public Kept Append(long[] more) => new(First, [.. Totals, .. more]);

        /// <summary>Without the days before <paramref name="day"/>.</summary>
        public Kept From(DateOnly day) => day <= First ? this : new Kept(day, Totals[Math.Min(Totals.Length, day.DayNumber - First.DayNumber)..]);

        public long Sum(DateOnly first, DateOnly last)
        {
            var total = 0L;
            for (var i = first.DayNumber - First.DayNumber; i <= last.DayNumber - First.DayNumber; i++)
            {
                total += Totals[i];
            }
            return total;
        }
    }
}
