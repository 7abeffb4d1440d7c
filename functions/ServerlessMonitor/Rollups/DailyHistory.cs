using System.Collections.Concurrent;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Rollups;

/// <summary>
/// Daily rollups of one endpoint for what the read model shows (uptime over 7, 30 and 90 days ending today, the
/// 90 daily bars, and the 365-day totals of the comparison) without reading a year of rows on every snapshot
/// build. A day that is over no longer changes, so the days sealed (<see cref="DaySeal"/>: over for an hour) are
/// kept per endpoint: their day counts for the bars and one sum for the year. Only the days after them (today,
/// and yesterday in the first hour of a day) are read on each call, once per build inside a
/// <see cref="SharedReads"/> scope - or, in a build, taken from what this instance's probes wrote today (<see cref="RecentRollups"/>). Twice a day the kept part moves: at midnight the day that leaves the year is
/// read and taken off the sum, an hour later the day just sealed is read and added; a year is read only for an
/// endpoint seen for the first time (or after a pause of more than a year). So a build's cost no longer grows
/// with the length of the history. A probe recorded more than <see cref="DaySeal.After"/> after its day ended is not
/// counted until the endpoint's year is read again.
/// </summary>
public sealed class DailyHistory(RollupReader rollups, RecentRollups recent)
{
    /// <summary>Days kept as bars: windows up to this length come from them.</summary>
    public const int BarDays = 90;

    /// <summary>The one longer window kept, with response times (the comparison table).</summary>
    public const int YearDays = 365;

    private Generation current = new(default, default, previous: null);

    /// <summary>An endpoint's daily rows around <paramref name="now"/>: the sealed part from memory, the rest read now.</summary>
    public async Task<EndpointDays> ReadAsync(string partition, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var sealedThrough = DaySeal.LastSealed(now);
        var generation = Volatile.Read(ref current);
        if (!generation.Is(today, sealedThrough))
        {
            // A new day, or a day just sealed: the kept parts move, each from the one before.
            var fresh = new Generation(today, sealedThrough, previous: generation);
            if (generation.IsBefore(today, sealedThrough) && ReferenceEquals(Interlocked.CompareExchange(ref current, fresh, generation), generation))
            {
                generation.ForgetPrevious(); // two generations at most are held
                generation = fresh;
            }
            else
            {
                // Another caller moved on first, or this one is behind it (handlers of a build that straddles midnight
                // or the seal, seconds apart): use what the other kept if it is for the same time, else keep nothing.
                var seen = Volatile.Read(ref current);
                generation = seen.Is(today, sealedThrough) ? seen : new Generation(today, sealedThrough, previous: null);
            }
        }
        // Both are shared with concurrent callers: read under no caller's token, waited for under this one's.
        var kept = await generation.GetAsync(partition, before => SealedAsync(partition, today, sealedThrough, before, CancellationToken.None), ct);
        var live = await SharedReads.ReadAsync($"live-days\n{partition}\n{sealedThrough:O}\n{today:O}",
            token => recent.DaysAsync(partition, sealedThrough.AddDays(1), now, token), ct);
        return new EndpointDays(today, kept, live);
    }

    /// <summary>The sealed part of the year ending today: moved on from <paramref name="before"/> when it overlaps, else read whole.</summary>
    private async Task<SealedDays> SealedAsync(string partition, DateOnly today, DateOnly sealedThrough, SealedDays? before, CancellationToken ct)
    {
        var from = today.AddDays(1 - YearDays);
        var barsFrom = today.AddDays(1 - BarDays);
        if (before is null || before.From > from || before.Through > sealedThrough || before.Through < from.AddDays(-1))
        {
            var rows = await rollups.DailyAsync(partition, from, sealedThrough.AddDays(1), ct);
            return new SealedDays(from, sealedThrough, RollupTotals.Sum(rows.Select(r => r.Totals)),
                [.. rows.Where(r => r.Day >= barsFrom).Select(r => DayCounts.Of(r.Day, r.Totals))]);
        }
        var year = before.Year;
        if (before.From < from)
        {
            var leaving = await rollups.DailyAsync(partition, before.From, from, ct);
            year = leaving.Aggregate(year, (sum, day) => sum.Subtract(day.Totals));
        }
        IReadOnlyList<DailyRollup> added = [];
        if (before.Through < sealedThrough)
        {
            added = await rollups.DailyAsync(partition, before.Through.AddDays(1), sealedThrough.AddDays(1), ct);
            year = added.Aggregate(year, (sum, day) => sum.Add(day.Totals));
        }
        return new SealedDays(from, sealedThrough, year,
            [.. before.Bars.Where(d => d.Day >= barsFrom), .. added.Where(r => r.Day >= barsFrom).Select(r => DayCounts.Of(r.Day, r.Totals))]);
    }

    /// <summary>The sealed parts for one (today, sealed through) pair, per endpoint partition.</summary>
    private sealed class Generation(DateOnly today, DateOnly sealedThrough, Generation? previous)
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<SealedDays>>> partitions = new(StringComparer.Ordinal);
        private Generation? previous = previous;

        public bool Is(DateOnly day, DateOnly sealedDay) => today == day && sealedThrough == sealedDay;

        /// <summary>Whether this generation is for an earlier time than (day, sealed day): the kept parts only move forward.</summary>
        public bool IsBefore(DateOnly day, DateOnly sealedDay) => today < day || (today == day && sealedThrough < sealedDay);

        public void ForgetPrevious() => Volatile.Write(ref previous, null);

        /// <summary>The partition's sealed part, made once per generation by <paramref name="make"/> from the previous generation's, if it has one.</summary>
        public async Task<SealedDays> GetAsync(string partition, Func<SealedDays?, Task<SealedDays>> make, CancellationToken ct)
        {
            var before = Volatile.Read(ref previous)?.Kept(partition);
            var entry = partitions.GetOrAdd(partition, _ => new Lazy<Task<SealedDays>>(() => make(before)));
            try
            {
                return await entry.Value.WaitAsync(ct);
            }
            catch when (entry.Value.IsFaulted || entry.Value.IsCanceled)
            {
                partitions.TryRemove(KeyValuePair.Create(partition, entry)); // the next call reads again
                throw;
            }
        }

        private SealedDays? Kept(string partition) =>
            partitions.TryGetValue(partition, out var entry) && entry.IsValueCreated && entry.Value.IsCompletedSuccessfully ? entry.Value.Result : null;
    }
}

/// <summary>Check counts of a day or a window: all an uptime bar or an uptime share needs.</summary>
public readonly record struct DayCounts(DateOnly Day, int Up, int Degraded, int Down, int Maintenance)
{
    public static DayCounts Of(DateOnly day, RollupTotals t) => new(day, (int)t.Up, (int)t.Degraded, (int)t.Down, (int)t.Maintenance);

    /// <summary>Checks that count for uptime; maintenance is planned and left out (as <see cref="RollupTotals.Checks"/>).</summary>
    public long Checks => (long)Up + Degraded + Down;

    /// <summary>Every check recorded, maintenance included: what a measured span rests on.</summary>
    public long Recorded => Checks + Maintenance;

    public double? Uptime => Checks == 0 ? null : (double)(Up + Degraded) / Checks;

    /// <summary>The counts of both (the day of this one).</summary>
    public DayCounts Add(DayCounts o) => new(Day, Up + o.Up, Degraded + o.Degraded, Down + o.Down, Maintenance + o.Maintenance);

    /// <summary>The counts of a window of days (no day of its own).</summary>
    public static DayCounts Sum(IEnumerable<DayCounts> days) => days.Aggregate(default(DayCounts), (sum, day) => sum.Add(day));
}

/// <summary>What is kept of an endpoint's sealed days in [From, Through]: their sum and the bar days that have data, oldest first.</summary>
internal sealed record SealedDays(DateOnly From, DateOnly Through, RollupTotals Year, DayCounts[] Bars);

/// <summary>An endpoint's days as of today: the sealed part kept by <see cref="DailyHistory"/> plus the live rows.</summary>
public sealed class EndpointDays
{
    private readonly DateOnly today;
    private readonly SealedDays kept;
    private readonly IReadOnlyList<DailyRollup> live;

    internal EndpointDays(DateOnly today, SealedDays kept, IReadOnlyList<DailyRollup> live)
    {
        this.today = today;
        this.kept = kept;
        this.live = live;
    }

    /// <summary>The totals of the <see cref="DailyHistory.YearDays"/> days ending today, response times included.</summary>
    public RollupTotals Year() => RollupTotals.Sum(live.Select(d => d.Totals).Prepend(kept.Year));

    /// <summary>The days with data among the <paramref name="days"/> days ending today (at most <see cref="DailyHistory.BarDays"/>).</summary>
    public IReadOnlyDictionary<DateOnly, DayCounts> Bars(int days)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, DailyHistory.BarDays);
        var from = today.AddDays(1 - days);
        var bars = new Dictionary<DateOnly, DayCounts>();
        foreach (var day in kept.Bars)
        {
            if (day.Day >= from)
            {
                bars[day.Day] = day;
            }
        }
        foreach (var day in live)
        {
            if (day.Day >= from)
            {
                bars[day.Day] = DayCounts.Of(day.Day, day.Totals);
            }
        }
        return bars;
    }

    /// <summary>The first day with data among the <paramref name="days"/> days ending today (at most <see cref="DailyHistory.BarDays"/>).</summary>
    public DateOnly? FirstDay(int days) => Bars(days).Keys.Select(d => (DateOnly?)d).Min();

    /// <summary>The counts of the <paramref name="days"/> days ending today (at most <see cref="DailyHistory.BarDays"/>).</summary>
    public DayCounts Counts(int days)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, DailyHistory.BarDays);
        var from = today.AddDays(1 - days);
        // Kept and live days never overlap: the live ones start the day after the kept ones end.
        return DayCounts.Sum(kept.Bars.Where(d => d.Day >= from).Concat(live.Where(d => d.Day >= from).Select(d => DayCounts.Of(d.Day, d.Totals))));
    }
}
