using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Reports;

/// <summary>
/// Reads report counts for other features (status page, comparison table) and the reports API. Every
/// read is a row-key range over bucket keys of one partition; nothing outside the asked windows is read.
/// </summary>
public sealed class ReportReader(ITableStore store, MonitorTables tables, IOptions<ReportsOptions> options)
{
    private static readonly string[] TotalOnly = [ReportRows.TotalProperty];
    private static readonly string[] TotalAndNetworks = [ReportRows.TotalProperty, ReportRows.NetworksProperty];

    // The usual level of each service's current window: its buckets on the previous days are over and never change.
    private readonly ConcurrentDictionary<string, Baseline> baselines = new(StringComparer.Ordinal);

    // Bucket totals of sealed days a baseline reaches, per service and day; pruned once a day.
    private static readonly long[] NoReports = ReportDays.NewDay();
    private readonly ConcurrentDictionary<(string Service, DateOnly Day), Lazy<Task<long[]>>> sealedDays = new();
    private int prunedThrough;

    // Totals of the days that are over, for the long windows (a year of reports after every probe cycle).
    private readonly ReportDays days = new();

    /// <summary>
    /// Total reports in the buckets that start within [from, to) (<paramref name="to"/> is now, or before it). The part
    /// of the window in days that are over comes from <see cref="ReportDays"/>; the rest (today, and yesterday in the
    /// first hour after midnight) is read.
    /// </summary>
    public async Task<int> CountAsync(string serviceId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        if (ReportDays.SealedThrough(from, to) is not { } last)
        {
            return Clamp(await SumAsync(serviceId, from, to, ct));
        }
        var live = SumAsync(serviceId, DaySeal.Start(last.AddDays(1)), to, ct);
        var over = days.SumAsync(serviceId, from, last, (a, b) => DayTotalsAsync(serviceId, a, b, ct), day => BucketTotalsAsync(serviceId, day, ct));
        await Task.WhenAll(live, over); // both awaited, so a failure of one never leaves the other unobserved
        return Clamp(await over + await live);
    }

    private static int Clamp(long total) => (int)Math.Min(total, int.MaxValue);

    private async Task<long> SumAsync(string serviceId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var total = 0L;
        await foreach (var row in store.QueryAllAsync(tables.Reports, serviceId, ReportRows.Buckets(from, to), TotalOnly, ct))
        {
            total += row.GetInt64(ReportRows.TotalProperty);
        }
        return total;
    }

    /// <summary>The report totals of the days [first, last], one per day, in one range query.</summary>
    private Task<long[]> DayTotalsAsync(string serviceId, DateOnly first, DateOnly last, CancellationToken ct) =>
        TotalsAsync(serviceId, first, last.AddDays(1), new long[last.DayNumber - first.DayNumber + 1],
            start => DateOnly.FromDateTime(start.UtcDateTime).DayNumber - first.DayNumber, ct);

    /// <summary>The report totals of a day's 5-minute buckets, in one range query.</summary>
    private Task<long[]> BucketTotalsAsync(string serviceId, DateOnly day, CancellationToken ct) =>
        TotalsAsync(serviceId, day, day.AddDays(1), ReportDays.NewDay(), ReportDays.BucketOf, ct);

    /// <summary>The buckets of the days [from, to) summed into <paramref name="totals"/> at the slot each bucket's start falls in.</summary>
    private async Task<long[]> TotalsAsync(string serviceId, DateOnly from, DateOnly to, long[] totals, Func<DateTimeOffset, int> slotOf, CancellationToken ct)
    {
        var range = ReportRows.Buckets(DaySeal.Start(from), DaySeal.Start(to));
        await foreach (var row in store.QueryAllAsync(tables.Reports, serviceId, range, TotalOnly, ct))
        {
            if (ReportRows.ParseKey(row.RowKey) is { } start)
            {
                totals[slotOf(start)] += row.GetInt64(ReportRows.TotalProperty);
            }
        }
        return totals;
    }

    /// <summary>
    /// The current 15-minute count, the usual level for that time of day and the surge flag (<see cref="SurgeRule"/>):
    /// one narrow range read of the current three buckets. The same three buckets on each of the previous days (seven
    /// more reads, run together) are read once per service while the window stays where it is (it moves every 5
    /// minutes), not on every summary: the snapshot asks for one per service after every probe cycle. Days that are
    /// sealed are read once, all their buckets in one query, and kept while they are among the previous days
    /// (<see cref="SealedBucketsAsync"/>), so a moving window costs no read.
    /// </summary>
    public async Task<ReportSummary> SummaryAsync(string serviceId, DateTimeOffset now, CancellationToken ct)
    {
        var start = SurgeRule.WindowStart(now);
        var end = start + SurgeRule.WindowBuckets * ReportRows.Bucket;
        var current = CurrentAsync(serviceId, start, end, ct);
        var previous = await UsualAsync(serviceId, start, end, DaySeal.LastSealed(now), ct);
        var (reports, networks) = await current;
        return SurgeRule.Evaluate(now, reports, networks, previous, options.Value);
    }

    private async Task<int[]> UsualAsync(string serviceId, DateTimeOffset start, DateTimeOffset end, DateOnly sealedThrough, CancellationToken ct)
    {
        var baseline = baselines.AddOrUpdate(serviceId, _ => New(), (_, kept) => kept.Start == start ? kept : New());
        try
        {
            return await baseline.Days.Value.WaitAsync(ct);
        }
        catch when (baseline.Days.Value.IsFaulted || baseline.Days.Value.IsCanceled)
        {
            baselines.TryRemove(KeyValuePair.Create(serviceId, baseline)); // the next summary reads again
            throw;
        }

        // Shared by every summary of this window: read under no caller's token, waited for under each one's.
        Baseline New() => new(start, new Lazy<Task<int[]>>(() => Task.WhenAll(Enumerable.Range(1, SurgeRule.BaselineDays)
            .Select(back => UsualDayAsync(serviceId, start.AddDays(-back), end.AddDays(-back), sealedThrough)))));
    }

    /// <summary>The reports of one previous day's window: from the kept buckets when its days are sealed, else read.</summary>
    private async Task<int> UsualDayAsync(string serviceId, DateTimeOffset from, DateTimeOffset to, DateOnly sealedThrough)
    {
        if (DateOnly.FromDateTime((to - ReportRows.Bucket).UtcDateTime) > sealedThrough)
        {
            return await CountAsync(serviceId, from, to, CancellationToken.None);
        }
        var total = 0L;
        for (var t = from; t < to; t += ReportRows.Bucket)
        {
            total += (await SealedBucketsAsync(serviceId, DateOnly.FromDateTime(t.UtcDateTime), sealedThrough))[ReportDays.BucketOf(t)];
        }
        return Clamp(total);
    }

    /// <summary>A sealed day's bucket totals, read once (kept for the days a baseline can reach; a day without reports shares one empty array).</summary>
    private async Task<long[]> SealedBucketsAsync(string serviceId, DateOnly day, DateOnly sealedThrough)
    {
        if (Interlocked.Exchange(ref prunedThrough, sealedThrough.DayNumber) != sealedThrough.DayNumber)
        {
            foreach (var key in sealedDays.Keys.Where(k => k.Day < sealedThrough.AddDays(-SurgeRule.BaselineDays - 1)))
            {
                sealedDays.TryRemove(key, out _);
            }
        }
        var entry = sealedDays.GetOrAdd((serviceId, day), _ => new Lazy<Task<long[]>>(async () =>
        {
            var buckets = await BucketTotalsAsync(serviceId, day, CancellationToken.None);
            return buckets.All(b => b == 0) ? NoReports : buckets;
        }));
        try
        {
            return await entry.Value;
        }
        catch when (entry.Value.IsFaulted || entry.Value.IsCanceled)
        {
            sealedDays.TryRemove(KeyValuePair.Create((serviceId, day), entry)); // the next summary reads again
            throw;
        }
    }

    private sealed record Baseline(DateTimeOffset Start, Lazy<Task<int[]>> Days);

    /// <summary>Reports in the buckets within [from, to) and how many distinct networks they came from.</summary>
    private async Task<(int Reports, int Networks)> CurrentAsync(string serviceId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var total = 0L;
        var networks = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in store.QueryAllAsync(tables.Reports, serviceId, ReportRows.Buckets(from, to), TotalAndNetworks, ct))
        {
            total += row.GetInt64(ReportRows.TotalProperty);
            networks.UnionWith(ReportRows.Networks(row));
        }
        return ((int)Math.Min(total, int.MaxValue), networks.Count);
    }

    /// <summary>The non-empty buckets that start within [from, to), in time order, counts only.</summary>
    public async Task<IReadOnlyList<ReportBucket>> BucketsAsync(string serviceId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var buckets = new List<ReportBucket>();
        await foreach (var row in store.QueryAllAsync(tables.Reports, serviceId, ReportRows.Buckets(from, to), ReportRows.CountColumns, ct))
        {
            if (ReportRows.ParseKey(row.RowKey) is { } start)
            {
                buckets.Add(ReportRows.ToBucket(row, start));
            }
        }
        return buckets;
    }

    /// <summary>The latest <paramref name="max"/> kept messages of the buckets within [from, to), newest first.</summary>
    public async Task<IReadOnlyList<StoredMessage>> MessagesAsync(string serviceId, DateTimeOffset from, DateTimeOffset to, int max, CancellationToken ct)
    {
        var messages = new List<StoredMessage>();
        await foreach (var row in store.QueryAllAsync(tables.Reports, serviceId, ReportRows.Buckets(from, to), [ReportRows.MessagesProperty], ct))
        {
            messages.AddRange(ReportRows.ReadMessages(row));
        }
        return messages.OrderByDescending(m => m.At).Take(max).ToList();
    }
}
