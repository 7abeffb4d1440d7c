using Microsoft.Extensions.Options;
using ServerlessMonitor.Api;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Maintenance;
using ServerlessMonitor.Pages.Fragments;
using ServerlessMonitor.Status;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Pages;

/// <summary>
/// GET /services/{service} — one service's own page: everything the full home page shows for it (90-day bars, 48-h
/// chart, endpoints, advice, visitor check, report form, its incident history and comparison row), read and
/// rendered by the same code as the home page's section. Big catalogs link here from their compact list.
/// </summary>
internal static class ServicePage
{
    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        new("ServicePage", "GET", "/services/{service}", RenderAsync)
        {
            Tag = "Status page", ContentType = "text/html", Summary = "One service's status page", Problems = [404],
            Description = "Server-rendered HTML for one service: status, uptime bars, response times around incidents, endpoints, advice, "
                + "incident history, report button. 404 for a service that is not monitored here (an HTML page, or problem details when the request accepts JSON).",
        },
    ];

    private static async Task<IResult> RenderAsync(string service, HttpRequest request, CatalogProvider catalog, StatusReader status,
        ServiceSections sections, TimeProvider time, IOptions<WebOptions> web, Subscriptions.Email.EmailSubscriptionSetup email,
        MaintenanceCalendar maintenance, IOptions<MaintenanceOptions> maintenanceOptions, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (catalog.Current.FindService(service) is not { } definition)
        {
            return PageErrors.UnknownService(request, service, now);
        }
        // The board is read whole (one read, shared within a snapshot build) so that advice sees the monitor as the home page does.
        var statuses = await status.ReadAllAsync(ct);
        if (statuses.FirstOrDefault(s => s.Id == definition.Id) is not { } current)
        {
            return PageErrors.UnknownService(request, service, now);
        }
        var monitor = await status.MonitorOfAllAsync(ct);
        // The same read and the same section as the home page's (one of each per build: ServiceSections).
        var read = await sections.ReadAsync(definition, current, monitor, now, ct);
        var model = new PageModel(now, [read.View], [read.Row])
        {
            Monitor = monitor, MinCoverage = web.Value.MinCoverage, ServicePage = true,
            Maintenance = await StatusPage.PlannedAsync(catalog, maintenance, maintenanceOptions.Value, [read.View], now, ct),
            EmailSubscriptions = email.Missing is null,
        };
        var html = StatusPageHtml.Render(model, v => sections.Html(v, now, model.MinCoverage, model.EmailSubscriptions));
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
