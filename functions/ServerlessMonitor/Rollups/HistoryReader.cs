using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Rollups;

/// <summary>History answers: raw checks (paged), daily uptime bars and the comparison table.</summary>
public sealed class HistoryReader(ITableStore store, MonitorTables tables, RollupReader rollups, DailyHistory history, IncidentReader incidents,
    IOptions<RetentionOptions> retention, TimeProvider time)
{
    public const int MaxPage = 1000;

    public async Task<CheckPageDto> ChecksAsync(ServiceDefinition service, EndpointDefinition endpoint, string? region, DateTimeOffset from,
        DateTimeOffset to, int limit, string? continuation, CancellationToken ct)
    {
        var partition = MonitorTables.EndpointPartition(service.Id, endpoint.Id);
        var page = await store.QueryAsync(tables.Endpoints, partition, MonitorTables.ResultsBetween(from, to), limit, null, continuation, ct);
        var checks = page.Items
            .Where(e => region is null || e.GetString("Region") == region)
            .Select(e => new CheckDto(e.GetDate("CheckedAt") ?? MonitorTables.CheckedAtOf(e.RowKey), endpoint.Id,
                e.GetString("Region") ?? "", e.GetString("Outcome") ?? "", e.Properties.ContainsKey("StatusCode") ? (int)e.GetInt64("StatusCode") : null,
                e.GetInt64("ResponseMs"), Nullable(e, "DnsMs"), Nullable(e, "ConnectMs"), Nullable(e, "TlsMs"), Nullable(e, "FirstByteMs"),
                e.GetString("Ip"), e.GetString("Error"), e.GetString("ErrorKind"), e.GetString("Conditions")))
            .ToList();
        var (rawFrom, eventsFrom) = retention.Value.RetainedAt(time.GetUtcNow());
        return new CheckPageDto(service.Id, endpoint.Id, checks, page.ContinuationToken) { RawFrom = rawFrom, EventsFrom = eventsFrom };
    }

    public async Task<UptimeHistoryDto> UptimeAsync(ServiceDefinition service, int days, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var from = today.AddDays(1 - days);
        var perEndpoint = new List<EndpointUptimeDto>();
        foreach (var endpoint in service.Endpoints)
        {
            var daily = await DailyCountsAsync(MonitorTables.EndpointPartition(service.Id, endpoint.Id), days, now, ct);
            var sum = DayCounts.Sum(daily.Values);
            perEndpoint.Add(new EndpointUptimeDto(endpoint.Id, Round(sum.Uptime),
                Enumerable.Range(0, days).Select(i => from.AddDays(i)).Select(d => Bar(d, daily.TryGetValue(d, out var c) ? c : null)).ToList()));
        }
        // A service's day is as good as its worst endpoint that day.
        var bars = Enumerable.Range(0, days).Select(i =>
        {
            var day = perEndpoint.Select(e => e.Days[i]).ToList();
            var known = day.Where(d => d.Uptime is not null).ToList();
            return new UptimeDayDto(from.AddDays(i), known.Count == 0 ? null : known.Min(d => d.Uptime), day.Sum(d => d.Checks),
                day.Sum(d => d.Down), day.Sum(d => d.Maintenance));
        }).ToList();
        var worst = perEndpoint.Where(e => e.Uptime is not null).Select(e => e.Uptime).DefaultIfEmpty(null).Min();
        return new UptimeHistoryDto(service.Id, days, worst, bars, perEndpoint);
    }

    public async Task<CompareRowDto> CompareAsync(ServiceDefinition service, int days, DateTimeOffset now, long reports, CancellationToken ct) =>
        await CompareAsync(service, days, now, reports, await incidents.ReadAsync(service, WindowStart(days, now), now, ct), ct);

    /// <summary>
    /// Where a comparison row's window starts, for every figure of the row alike: the year is calendar days (the kept
    /// daily rows, today included, from midnight UTC 364 days ago), shorter windows are rolling (<paramref name="days"/> × 24 h).
    /// </summary>
    public static DateTimeOffset WindowStart(int days, DateTimeOffset now) => days == DailyHistory.YearDays
        ? DaySeal.Start(DateOnly.FromDateTime(now.UtcDateTime).AddDays(1 - days))
        : now.AddDays(-days);

    /// <summary>The same, with the service's incidents of the window read already (the page reads them once for its history too).</summary>
    public async Task<CompareRowDto> CompareAsync(ServiceDefinition service, int days, DateTimeOffset now, long reports,
        IReadOnlyList<IncidentRecord> incidentsInWindow, CancellationToken ct)
    {
        // A service is as available as its worst endpoint; its response times are its primary endpoint's.
        double? uptime = null;
        RollupTotals? timing = null;
        long measured = 0;
        foreach (var endpoint in service.Endpoints)
        {
            var partition = MonitorTables.EndpointPartition(service.Id, endpoint.Id);
            var endpointDays = await history.ReadAsync(partition, now, ct);
            var totals = days == DailyHistory.YearDays
                ? endpointDays.Year()
                : await rollups.WindowAsync(partition, now, TimeSpan.FromDays(days), ct);
            uptime = RollupTotals.WorstUptime(uptime, totals.Uptime);
            measured = Math.Max(measured, Measured(endpointDays, endpoint, totals, days, now));
            if (endpoint == service.Primary)
            {
                timing = totals;
            }
        }
        var from = WindowStart(days, now);
        var incidentCount = incidentsInWindow.Count(i => i.Kind == IncidentKind.Outage && i.Start >= from && i.Start < now);
        // Average downtime per year: the window's share of failed checks, scaled to 365 days - never from less than a week.
        double? downtime = uptime is { } u && measured >= MeasuredSpan.MinForYear.TotalSeconds ? Math.Round((1 - u) * 365 * 24, 2) : null;
        return new CompareRowDto(service.Id, service.Name, service.Category, Round(uptime), downtime,
            Round1(timing?.Percentile(50)), Round1(timing?.Percentile(95)), incidentCount, timing?.Checks ?? 0, reports)
        {
            MeasuredSeconds = measured,
        };
    }

    /// <summary>
    /// Seconds of the window an endpoint was measured over: from its first day with data (the kept bars reach 90
    /// days back; data older than that counts from the window's start), bounded by its checks.
    /// </summary>
    private static long Measured(EndpointDays endpointDays, EndpointDefinition endpoint, RollupTotals totals, int days, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var windowStart = days <= 2 ? now.AddDays(-days) : MeasuredSpan.StartOf(today.AddDays(1 - days));
        var barDays = Math.Min(days, DailyHistory.BarDays);
        DateTimeOffset? first = endpointDays.FirstDay(barDays) is { } day
            ? (days > DailyHistory.BarDays && day == today.AddDays(1 - barDays) ? windowStart : MeasuredSpan.StartOf(day))
            : null;
        if (first is null && days > DailyHistory.BarDays && totals.Checks + totals.Maintenance > 0)
        {
            first = windowStart; // all of it older than the bars
        }
        return MeasuredSpan.Seconds(now, windowStart, first, totals.Checks + totals.Maintenance, endpoint.Interval);
    }

    /// <summary>Day counts with data in the <paramref name="days"/> days ending today: kept ones for the bars' length and less, read beyond.</summary>
    private async Task<IReadOnlyDictionary<DateOnly, DayCounts>> DailyCountsAsync(string partition, int days, DateTimeOffset now, CancellationToken ct)
    {
        if (days <= DailyHistory.BarDays)
        {
            return (await history.ReadAsync(partition, now, ct)).Bars(days);
        }
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return (await rollups.DailyAsync(partition, today.AddDays(1 - days), today.AddDays(1), ct)).ToDictionary(d => d.Day, d => DayCounts.Of(d.Day, d.Totals));
    }

    private static UptimeDayDto Bar(DateOnly day, DayCounts? c) =>
        new(day, Round(c?.Uptime), c?.Checks ?? 0, c?.Down ?? 0, c?.Maintenance ?? 0);

    private static long? Nullable(TableEntity e, string name) => e.Properties.TryGetValue(name, out var v) && v is not null ? e.GetInt64(name) : null;

    private static double? Round(double? v) => v is null ? null : Math.Round(v.Value, 6);

    private static double? Round1(double? v) => v is null ? null : Math.Round(v.Value, 1);
}
