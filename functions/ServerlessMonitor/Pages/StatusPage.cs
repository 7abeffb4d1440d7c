using ServerlessMonitor.Catalog;
using ServerlessMonitor.Api;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Maintenance;
using ServerlessMonitor.Reports;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.SelfCheck;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Web;
using Microsoft.Extensions.Options;

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

    /// <summary><see cref="Web.WebOptions.MinCoverage"/>: below it a figure names the span it was measured over.</summary>
    public double MinCoverage { get; init; } = 0.8;

    /// <summary>Whether email subscriptions are configured: each service's section then has the subscribe form.</summary>
    public bool EmailSubscriptions { get; init; }
    /// <summary>Planned maintenance shown ahead and while it runs (<see cref="MaintenanceHtml"/>).</summary>
    public IReadOnlyList<PlannedMaintenance> Maintenance { get; init; } = [];
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
        RollupReader rollups, IncidentReader incidents, ReportReader reports, TimeProvider time, IOptions<WebOptions> web,
        Subscriptions.Email.EmailSubscriptionSetup email,
        MaintenanceCalendar maintenance, IOptions<MaintenanceOptions> maintenanceOptions, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // One read of the status board for the whole page, not one per service.
        var statuses = await status.ReadAllAsync(ct);
        var monitor = await status.MonitorAsync(statuses, ct);
        // Each service's reads are its own: services are read side by side, shown in the board's order.
        var read = await InOrder.SelectAsync(statuses, async Task<ServiceRead?> (current, token) =>
        {
            if (catalog.Current.FindService(current.Id) is not { } service)
            {
                return null; // the catalog was reloaded while the page was being built
            }
            var s = current with { Figures = await figures.ComputeAsync(service, now, token) };
            var hours = await rollups.HourlyAsync(MonitorTables.EndpointPartition(service.Id, service.Primary.Id), now.AddHours(-ChartHours), now.AddHours(1), token);
            // One read of the year's incidents: the last 90 days for the history, the year for the comparison.
            var year = await incidents.ReadAsync(service, now.AddDays(-CompareDays), now.AddMinutes(1), token);
            var history90 = year.Where(i => i.Start >= now.AddDays(-BarDays)).ToList();
            var summary = await reports.SummaryAsync(service.Id, now, token);
            var view = new ServiceView(s, await history.UptimeAsync(service, BarDays, now, token), hours, history90, summary, Advice.For(s, monitor))
            {
                BrowserCheck = service.BrowserCheck,
            };
            var reportsInYear = await reports.CountAsync(service.Id, HistoryReader.WindowStart(CompareDays, now), now, token);
            return new ServiceRead(view, await history.CompareAsync(service, CompareDays, now, reportsInYear, year, token));
        }, ct);
        var views = read.OfType<ServiceRead>().ToList();
        var planned = MaintenanceHtml.Shown(catalog.Current.Maintenance.Concat((await maintenance.RefreshAsync(force: false, ct)).Windows.Select(w => w.Window)),
            views.ToDictionary(v => v.View.Status.Id, v => v.View.Status.Name), now, maintenanceOptions.Value.AnnounceBefore);
        var html = StatusPageHtml.Render(new PageModel(now, views.Select(v => v.View).ToList(), views.Select(v => v.Row).ToList())
            { Monitor = monitor, MinCoverage = web.Value.MinCoverage, Maintenance = planned, EmailSubscriptions = email.Missing is null });
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private sealed record ServiceRead(ServiceView View, CompareRowDto Row);
}
