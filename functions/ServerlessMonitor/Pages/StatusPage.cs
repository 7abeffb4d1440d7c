using ServerlessMonitor.Catalog;
using ServerlessMonitor.Api;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Reports;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.SelfCheck;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Pages;

/// <summary>Everything the status page shows about one service.</summary>
internal sealed record ServiceView(
    ServiceStatusDto Status,
    UptimeHistoryDto Uptime,
    IReadOnlyList<HourlyRollup> Hours,
    IReadOnlyList<IncidentRecord> Incidents,
    ReportSummary Reports,
    IReadOnlyList<string> Advice)
{
    /// <summary>The catalog's browser check for the service, run by the visitor's browser (optional).</summary>
    public BrowserCheck? BrowserCheck { get; init; }
}

internal sealed record PageModel(DateTimeOffset Now, IReadOnlyList<ServiceView> Services, IReadOnlyList<CompareRowDto> Comparison)
{
    /// <summary>Whether our probes can see the services at all (monitor self-check): the banner's first sentence.</summary>
    public MonitorStatusDto Monitor { get; init; } = MonitorStatusDto.Online;
}

/// <summary>
/// GET / — the status page, server-rendered HTML with inline SVG: no scripts from anywhere else, no
/// fonts, works offline and on a phone. Its scripts post the report form as JSON and run the visitors'
/// browser checks (<see cref="VisitorCheck"/>); a Content-Security-Policy allows nothing else (<see cref="PageSecurity"/>).
/// </summary>
public static class StatusPage
{
    public const int ChartHours = 48;
    public const int BarDays = DailyHistory.BarDays;
    public const int CompareDays = DailyHistory.YearDays;

    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        new("StatusPage", "GET", "/", RenderAsync)
        {
            Tag = "Status page", ContentType = "text/html", Summary = "Status page",
            Description = "Server-rendered HTML: services, uptime bars, response times around incidents, incident history, report button.",
        },
    ];

    private static async Task<IResult> RenderAsync(CatalogProvider catalog, StatusReader status, ServiceFigures figures, HistoryReader history,
        RollupReader rollups, IncidentReader incidents, ReportReader reports, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var views = new List<ServiceView>();
        var comparison = new List<CompareRowDto>();
        // One read of the status board for the whole page, not one per service.
        var statuses = await status.ReadAllAsync(ct);
        var monitor = await status.MonitorAsync(statuses, ct);
        foreach (var current in statuses)
        {
            if (catalog.Current.FindService(current.Id) is not { } service)
            {
                continue; // the catalog was reloaded while the page was being built
            }
            var s = current with { Figures = await figures.ComputeAsync(service, now, ct) };
            var hours = await rollups.HourlyAsync(MonitorTables.EndpointPartition(service.Id, service.Primary.Id), now.AddHours(-ChartHours), now.AddHours(1), ct);
            // One read of the year's incidents: the last 90 days for the history, the year for the comparison.
            var year = await incidents.ReadAsync(service, now.AddDays(-CompareDays), now.AddMinutes(1), ct);
            var history90 = year.Where(i => i.Start >= now.AddDays(-BarDays)).ToList();
            var summary = await reports.SummaryAsync(service.Id, now, ct);
            views.Add(new ServiceView(s, await history.UptimeAsync(service, BarDays, now, ct), hours, history90, summary, Advice.For(s, monitor))
            {
                BrowserCheck = service.BrowserCheck,
            });
            comparison.Add(await history.CompareAsync(service, CompareDays, now, await reports.CountAsync(service.Id, now.AddDays(-CompareDays), now, ct), year, ct));
        }
        var html = StatusPageHtml.Render(new PageModel(now, views, comparison) { Monitor = monitor });
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
