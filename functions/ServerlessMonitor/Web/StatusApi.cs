using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Web;

public static class StatusApi
{
    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        new("Health", "GET", "/api/health", Health)
        {
            Tag = "Status", Cacheable = false, RateLimited = false,
            Summary = "Liveness", Description = "Region, instance, hosting mode and version. Never cached.",
        },
        new("GetStatus", "GET", "/api/status", GetAll)
        {
            Tag = "Status", Summary = "Status of every service",
            Description = "Per service: status, since, open incident with its likely cause, uptime 24h/7d/30d and p50/p95/p99 response times; "
                + "and whether our probes can reach the internet at all (monitor: online, partial or offline, with the sentence to show).",
        },
        new("GetServiceStatus", "GET", "/api/status/{service}", GetOne)
        {
            Tag = "Status", Summary = "Status of one service", Problems = [404],
            Description = "Endpoints, per-region status, the current incident with its likely cause, and troubleshooting advice when the service is up. Unknown service: 404.",
        },
    ];

    private static Ok<HealthDto> Health(IOptions<MonitorOptions> options, MonitorHost host) =>
        TypedResults.Ok(new HealthDto("ok", options.Value.Region, options.Value.Instance, host.Name,
            typeof(StatusApi).Assembly.GetName().Version?.ToString() ?? "0"));

    private static async Task<Ok<StatusOverviewDto>> GetAll(StatusReader reader, CatalogProvider catalog, ServiceFigures figures,
        IOptions<MonitorOptions> options, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var services = await InOrder.SelectAsync(await reader.ReadAllAsync(ct),
            async (s, token) => s with { Figures = await figures.ComputeAsync(catalog.Current.FindService(s.Id)!, now, token) }, ct);
        return TypedResults.Ok(new StatusOverviewDto(options.Value.Region, now, HealthStatusText.Worst(services.Select(s => s.Status)), services)
        {
            Monitor = await reader.MonitorAsync(services, ct),
        });
    }

    private static async Task<Results<Ok<ServiceStatusDto>, ProblemHttpResult>> GetOne(string service, StatusReader reader, CatalogProvider catalog,
        ServiceFigures figures, RegionReader regions, ProbeCadence cadence, TimeProvider time, CancellationToken ct)
    {
        if (catalog.Current.FindService(service) is not { } definition || await reader.ReadAsync(service, ct) is not { } status)
        {
            return ApiProblems.UnknownService(service);
        }
        status = status with
        {
            Figures = await figures.ComputeAsync(definition, time.GetUtcNow(), ct),
            Regions = await regions.ReadAsync(definition, ct),
            Monitor = await reader.MonitorAsync([status], ct),
            Endpoints = Intervals(status.Endpoints, definition, catalog.Current, cadence),
        };
        return TypedResults.Ok(status with { Advice = Advice.For(status, status.Monitor) });
    }

    private static List<EndpointStatusDto> Intervals(IEnumerable<EndpointStatusDto> endpoints, ServiceDefinition service, MonitorCatalog catalog, ProbeCadence cadence) =>
        endpoints.Select(e => service.Endpoints.FirstOrDefault(d => d.Id == e.Id) is { } d && cadence.EffectiveInterval(d, catalog) is { } effective
            ? e with { Interval = d.Interval, EffectiveInterval = effective }
            : e).ToList();
}
