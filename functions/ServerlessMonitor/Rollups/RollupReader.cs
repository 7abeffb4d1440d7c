using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Rollups;

public sealed record DailyRollup(DateOnly Day, RollupTotals Totals);

public sealed record HourlyRollup(DateTimeOffset Hour, RollupTotals Totals);

/// <summary>
/// Uptime and response times for any window from rollup rows only: hourly rows for windows up to two
/// days, daily rows beyond — a few hundred rows at most, never the raw results. Regions are summed.
/// </summary>
public sealed class RollupReader(ITableStore store, MonitorTables tables)
{
    public async Task<RollupTotals> WindowAsync(string partition, DateTimeOffset now, TimeSpan window, CancellationToken ct)
    {
        if (window <= TimeSpan.FromHours(48))
        {
            return RollupTotals.Sum((await HourlyAsync(partition, now - window, now.AddHours(1), ct)).Select(h => h.Totals));
        }
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var days = (int)Math.Ceiling(window.TotalDays);
        return RollupTotals.Sum((await DailyAsync(partition, today.AddDays(1 - days), today.AddDays(1), ct)).Select(d => d.Totals));
    }

    /// <summary>One entry per day in [from, to) that has data, regions summed.</summary>
    public async Task<IReadOnlyList<DailyRollup>> DailyAsync(string partition, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var days = new SortedDictionary<DateOnly, RollupTotals>();
        await foreach (var e in store.QueryAllAsync(tables.Endpoints, partition, RollupKeys.DaysBetween(from, to), ct: ct))
        {
            var day = RollupKeys.DayOf(e.RowKey);
            days[day] = days.TryGetValue(day, out var t) ? t.Add(RollupTotals.FromEntity(e)) : RollupTotals.FromEntity(e);
        }
        return days.Select(d => new DailyRollup(d.Key, d.Value)).ToList();
    }

    /// <summary>One entry per hour starting in [from, to) that has data, regions summed.</summary>
    public Task<IReadOnlyList<HourlyRollup>> HourlyAsync(string partition, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        HourlyAsync(partition, from, to, regions: null, ct);

    /// <summary>The same, adding the regions whose rows were read to <paramref name="regions"/>.</summary>
    public async Task<IReadOnlyList<HourlyRollup>> HourlyAsync(string partition, DateTimeOffset from, DateTimeOffset to, ISet<string>? regions,
        CancellationToken ct)
    {
        var hours = new SortedDictionary<DateTimeOffset, RollupTotals>();
        await foreach (var e in store.QueryAllAsync(tables.Endpoints, partition, RollupKeys.HoursBetween(from, to), ct: ct))
        {
            regions?.Add(RollupKeys.RegionOf(e.RowKey));
            var hour = RollupKeys.HourOf(e.RowKey);
            hours[hour] = hours.TryGetValue(hour, out var t) ? t.Add(RollupTotals.FromEntity(e)) : RollupTotals.FromEntity(e);
        }
        return hours.Select(h => new HourlyRollup(h.Key, h.Value)).ToList();
    }
}
