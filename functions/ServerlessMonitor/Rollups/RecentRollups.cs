using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Rollups;

/// <summary>
/// The recent rollups a snapshot build shows (the last 24 or 48 hours, today's row) without reading them back after
/// every cycle. Hours that are over no longer change: they are read once per hour per endpoint and kept (their sum, or
/// the hours themselves for a chart). The current hour and today come from <see cref="LiveRollups"/>, what this
/// instance's own probes wrote, where that is the whole truth: inside a build (<see cref="SharedReads"/>), for an
/// endpoint last probed here (the board shows no later check), by this region alone (no other region on the board or in
/// the hours read). Anything else - another instance or region writing the same store, a start before the first probe,
/// a request outside a build - reads the store as before, so memory never hides another writer's change.
/// </summary>
public sealed class RecentRollups(RollupReader reader, LiveRollups live, StatusBoard board, IOptions<MonitorOptions> monitor)
{
    private readonly ConcurrentDictionary<(string Partition, int Hours, bool Keep), ClosedEntry> closed = new();
    private readonly string region = monitor.Value.Region;

    /// <summary>What <see cref="RollupReader.HourlyAsync"/> answers for the hours starting in [now - <paramref name="hours"/> h, now + 1 h).</summary>
    public async Task<IReadOnlyList<HourlyRollup>> HoursAsync(string partition, DateTimeOffset now, int hours, CancellationToken ct)
    {
        if (await ServedAsync(partition, now, hours, keepHours: true, ct) is not { } served)
        {
            return await reader.HourlyAsync(partition, now.AddHours(-hours), now.AddHours(1), ct);
        }
        var (past, current) = served;
        return current is null ? past.Hours! : [.. past.Hours!, new HourlyRollup(HourOf(now), current)];
    }

    /// <summary>The sum of <see cref="HoursAsync"/> and the first hour with data (null: none), without keeping the hours.</summary>
    public async Task<HourSum> SumAsync(string partition, DateTimeOffset now, int hours, CancellationToken ct)
    {
        if (await ServedAsync(partition, now, hours, keepHours: false, ct) is not { } served)
        {
            var read = await reader.HourlyAsync(partition, now.AddHours(-hours), now.AddHours(1), ct);
            return new HourSum(RollupTotals.Sum(read.Select(h => h.Totals)), read.Count == 0 ? null : read[0].Hour);
        }
        var (past, current) = served;
        return current is null ? new HourSum(past.Sum, past.First) : new HourSum(past.Sum.Add(current), past.First ?? HourOf(now));
    }

    /// <summary>What <see cref="RollupReader.DailyAsync"/> answers for the days [<paramref name="from"/>, today] (the days not sealed yet).</summary>
    public async Task<IReadOnlyList<DailyRollup>> DaysAsync(string partition, DateOnly from, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        // Memory holds today only: in the hour after midnight, when yesterday is not sealed yet, the days are read.
        if (from != today || await ServedAsync(partition, now, 24, keepHours: false, ct) is null)
        {
            return await reader.DailyAsync(partition, from, today.AddDays(1), ct);
        }
        var rows = live.Get(partition)!;
        return rows.Day.RowKey == RollupKeys.Daily(now, region) ? [new DailyRollup(today, rows.Day.Totals)] : [];
    }

    /// <summary>The kept past hours and this hour's totals from memory (null: no row this hour), or null when memory does not serve.</summary>
    private async Task<(ClosedHours Past, RollupTotals? Current)?> ServedAsync(string partition, DateTimeOffset now, int hours, bool keepHours,
        CancellationToken ct)
    {
        if (!SharedReads.Active || live.Get(partition) is not { } rows)
        {
            return null;
        }
        var boardRows = await board.ReadAsync(ct);
        if (boardRows.TryGetValue(partition, out var row) && (row.LastCheck > rows.LastCheck || row.Regions.Any(r => r != region)))
        {
            return null; // another instance or region checked it since: its rows are in the store, not here
        }
        var past = await ClosedAsync(partition, now, hours, keepHours, ct);
        if (past.Foreign)
        {
            return null;
        }
        return (past, rows.Hour.RowKey == RollupKeys.Hourly(now, region) ? rows.Hour.Totals : null);
    }

    /// <summary>The hours of the window that are over, read once in the hour (by the first caller, under no caller's token).</summary>
    private async Task<ClosedHours> ClosedAsync(string partition, DateTimeOffset now, int hours, bool keepHours, CancellationToken ct)
    {
        var hour = HourOf(now);
        var entry = closed.AddOrUpdate((partition, hours, keepHours), _ => New(), (_, kept) => kept.Hour == hour ? kept : New());
        try
        {
            return await entry.Read.Value.WaitAsync(ct);
        }
        catch when (entry.Read.Value.IsFaulted || entry.Read.Value.IsCanceled)
        {
            closed.TryRemove(KeyValuePair.Create((partition, hours, keepHours), entry)); // the next call reads again
            throw;
        }

        ClosedEntry New() => new(hour, new Lazy<Task<ClosedHours>>(() => ReadClosedAsync(partition, now.AddHours(-hours), hour, keepHours)));
    }

    private async Task<ClosedHours> ReadClosedAsync(string partition, DateTimeOffset from, DateTimeOffset to, bool keepHours)
    {
        var regions = new HashSet<string>(StringComparer.Ordinal);
        var read = await reader.HourlyAsync(partition, from, to, regions, CancellationToken.None);
        return new ClosedHours(keepHours ? read : null, RollupTotals.Sum(read.Select(h => h.Totals)), read.Count == 0 ? null : read[0].Hour,
            regions.Any(r => r != region));
    }

    private static DateTimeOffset HourOf(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);

    private sealed record ClosedEntry(DateTimeOffset Hour, Lazy<Task<ClosedHours>> Read);

    /// <summary>Past hours of a window: kept (a chart) or summed, the first with data, and whether another region wrote any.</summary>
    private sealed record ClosedHours(IReadOnlyList<HourlyRollup>? Hours, RollupTotals Sum, DateTimeOffset? First, bool Foreign);
}

/// <summary>The totals of a window of hours and its first hour with data (null: no data).</summary>
public sealed record HourSum(RollupTotals Totals, DateTimeOffset? FirstHour);
