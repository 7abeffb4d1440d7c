using System.Collections.Concurrent;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Reports;

/// <summary>
/// Report totals of days that are over, kept per service, so a count over a long window (the comparison's year
/// of user reports, after every probe cycle) does not read every 5-minute bucket of the window each time: a busy
/// service has up to 288 buckets a day, 105,120 in a year. A day is kept once it is sealed (<see cref="DaySeal"/>: a
/// report is counted in the bucket of the clock of the instance that took it, which may run a little behind) and is
/// never read again. Kept per service: one total per whole day, and the buckets of the day
/// the window starts in, since its start moves every 5 minutes. A steady count reads only today.
/// </summary>
internal sealed class ReportDays
{
    private const int BucketsPerDay = 288;

    // A year and a day: the longest window asked for (365 days) starts inside its first day.
    private const int MaxDays = 366;

    private readonly ConcurrentDictionary<string, KeptDays> _days = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FirstDay> _firstDays = new(StringComparer.Ordinal);

    /// <summary>The last day of [from, to) that is sealed; null when the window starts after it (short windows are read).</summary>
    public static DateOnly? SealedThrough(DateTimeOffset from, DateTimeOffset to)
    {
        var last = DaySeal.LastSealed(to);
        return DateOnly.FromDateTime(from.UtcDateTime) <= last ? last : null;
    }

    /// <summary>
    /// The reports of the buckets from <paramref name="from"/>'s to the end of the sealed day <paramref name="last"/>,
    /// from memory, reading only what is not kept yet.
    /// </summary>
    /// <param name="readDays">Reads the totals of the days [a, b], one per day (one query).</param>
    /// <param name="readBuckets">Reads the totals of a day's 288 buckets (one query).</param>
    public async Task<long> SumAsync(string service, DateTimeOffset from, DateOnly last,
        Func<DateOnly, DateOnly, Task<long[]>> readDays, Func<DateOnly, Task<long[]>> readBuckets)
    {
        var first = DateOnly.FromDateTime(from.UtcDateTime);
        var wholeDays = first < last ? SumDaysAsync(service, first.AddDays(1), last, readDays) : Task.FromResult(0L);
        var firstDay = _firstDays.GetValueOrDefault(service);
        if (firstDay?.Day != first)
        {
            var buckets = readBuckets(first);
            await Task.WhenAll(buckets, wholeDays); // both awaited, so a failure of one never leaves the other unobserved
            firstDay = new FirstDay(first, await buckets);
            _firstDays[service] = firstDay;
        }
        return firstDay.From(from) + await wholeDays;
    }

    private async Task<long> SumDaysAsync(string service, DateOnly first, DateOnly last, Func<DateOnly, DateOnly, Task<long[]>> readDays)
    {
        var kept = _days.GetValueOrDefault(service);
        if (kept is null || kept.First > first || kept.Last < first.AddDays(-1))
        {
            // Nothing kept that this window can grow from: read the window's days.
            kept = new KeptDays(first, await readDays(first, last));
        }
        else if (kept.Last < last)
        {
            kept = kept.Append(await readDays(kept.Last.AddDays(1), last));
        }
        var oldest = last.AddDays(1 - MaxDays);
        kept = kept.From(oldest < first ? oldest : first);
        // Days only move forward: a caller with an older view does not take back what a newer one kept.
        _days.AddOrUpdate(service, kept, (_, other) => other.Last > kept.Last ? other : kept);
        return kept.Sum(first, last);
    }

    public static int BucketOf(DateTimeOffset t) => (int)(t.UtcDateTime.TimeOfDay.Ticks / ReportRows.Bucket.Ticks);

    public static long[] NewDay() => new long[BucketsPerDay];

    /// <summary>Totals of consecutive days from <see cref="First"/>.</summary>
    private sealed record KeptDays(DateOnly First, long[] Totals)
    {
        public DateOnly Last => First.AddDays(Totals.Length - 1);

        public KeptDays Append(long[] more) => new(First, [.. Totals, .. more]);

        /// <summary>Without the days before <paramref name="day"/>.</summary>
        public KeptDays From(DateOnly day) => day <= First ? this : new KeptDays(day, Totals[Math.Min(Totals.Length, day.DayNumber - First.DayNumber)..]);

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

    /// <summary>The buckets of the day a window starts in: the part after its start is counted.</summary>
    private sealed record FirstDay(DateOnly Day, long[] Buckets)
    {
        public long From(DateTimeOffset from)
        {
            var total = 0L;
            for (var i = BucketOf(from); i < Buckets.Length; i++)
            {
                total += Buckets[i];
            }
            return total;
        }
    }
}
