using ServerlessMonitor.Catalog;
using ServerlessMonitor.Api;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Pages.Fragments;
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
    /// <summary>The page of one service (<c>/services/{id}</c>): its name in the title and heading, a link back to all services.</summary>
    public bool ServicePage { get; init; }
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
            Tag = "Status page", ContentType = "text/html", Summary = "Status page", Problems = [400, 404],
            Description = "Server-rendered HTML: services, uptime bars, response times around incidents, incident history, report button. "
                + "Beyond Web:PageServices services (default 50): one compact row per service, problems first, in pages of Web:PageSize (`page`), "
                + "searchable by service id or name (`q`); each service's detail is on /services/{service}. "
                + "A bad `page` is 400 and a page past the last 404: an HTML page saying so, or problem details when the request accepts JSON.",
        },
    ];

    /// <summary>The maintenance windows (catalog and admin API) the page shows for these services now.</summary>
    internal static async Task<IReadOnlyList<PlannedMaintenance>> PlannedAsync(CatalogProvider catalog, MaintenanceCalendar maintenance,
        MaintenanceOptions options, IEnumerable<ServiceView> views, DateTimeOffset now, CancellationToken ct) =>
        MaintenanceHtml.Shown(catalog.Current.Maintenance.Concat((await maintenance.RefreshAsync(force: false, ct)).Windows.Select(w => w.Window)),
            views.ToDictionary(v => v.Status.Id, v => v.Status.Name), now, options.AnnounceBefore);

    private static async Task<IResult> RenderAsync(HttpRequest request, CatalogProvider catalog, StatusReader status, ServiceFigures figures, ServiceSections sections,
        FragmentCache fragments, TimeProvider time, IOptions<WebOptions> web, string? page, string? q,
        Subscriptions.Email.EmailSubscriptionSetup email, MaintenanceCalendar maintenance, IOptions<MaintenanceOptions> maintenanceOptions, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!PageNumber.TryParse(page, out var number, out var error))
        {
            return PageErrors.BadQuery(request, "page", error, now);
        }
        // One read of the status board for the whole page, not one per service.
        var statuses = await status.ReadAllAsync(ct);
        var monitor = await status.MonitorOfAllAsync(ct);
        if (statuses.Count > web.Value.PageServices || !string.IsNullOrWhiteSpace(q))
        {
            return await CompactAsync(request, catalog, figures, fragments, web.Value, statuses, monitor, number, q, now, ct);
        }
        if (number > 1)
        {
            return PageErrors.NoSuchPage(request, $"There is no page {number}: all {statuses.Count} services are on the first page.", now);
        }
        // Each service's reads are its own: services are read side by side, shown in the board's order.
        var read = await InOrder.SelectAsync(statuses, async Task<ServiceRead?> (current, token) => catalog.Current.FindService(current.Id) is { } service
            ? await sections.ReadAsync(service, current, monitor, now, token)
            : null, ct); // null: the catalog was reloaded while the page was being built
        var views = read.OfType<ServiceRead>().ToList();
        var planned = await PlannedAsync(catalog, maintenance, maintenanceOptions.Value, views.Select(v => v.View), now, ct);
        var model = new PageModel(now, views.Select(v => v.View).ToList(), views.Select(v => v.Row).ToList())
            { Monitor = monitor, MinCoverage = web.Value.MinCoverage, Maintenance = planned, EmailSubscriptions = email.Missing is null };
        var html = StatusPageHtml.Render(model, v => sections.Html(v, now, model.MinCoverage, model.EmailSubscriptions));
        return Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>One page of compact rows; only its own rows' figures (30-day uptime) are computed.</summary>
    private static async Task<IResult> CompactAsync(HttpRequest request, CatalogProvider catalog, ServiceFigures figures, FragmentCache fragments, WebOptions web,
        IReadOnlyList<ServiceStatusDto> statuses, MonitorStatusDto monitor, int number, string? q, DateTimeOffset now, CancellationToken ct)
    {
        if (ServiceList.Select(statuses, number, q, web.PageSize) is not { } list)
        {
            var pages = ServiceList.PageCount(statuses.Count(s => string.IsNullOrWhiteSpace(q) || ServiceList.Matches(s, q.Trim())), web.PageSize);
            return PageErrors.NoSuchPage(request, $"There is no page {number}: the list has {pages} page(s).", now);
        }
        var rows = await InOrder.SelectAsync(list.Rows, async (s, token) =>
            catalog.Current.FindService(s.Id) is { } service ? s with { Figures = await figures.ComputeAsync(service, now, token) } : s, ct);
        return Results.Content(ServiceListHtml.Render(new ServiceListModel(now, list with { Rows = rows }, monitor), fragments), "text/html; charset=utf-8");
    }
}
