using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Status;

public static class StatusApi
{
    public static IHostApplicationBuilder AddStatus(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EndpointRecorder>();
        builder.Services.AddSingleton<RegionReader>();
        builder.Services.AddSingleton<StatusBoard>();
        builder.Services.AddSingleton<StatusReader>();
        builder.Services.AddSingleton<ServiceStatusAlerts>();
        return builder;
    }

    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Status");
        api.MapGet("/health", Health).WithName("Health");
        api.MapGet("/status", GetAll).WithName("GetStatus");
        api.MapGet("/status/{service}", GetOne).WithName("GetServiceStatus");
        return app;
    }

    private static Ok<HealthDto> Health(IOptions<MonitorOptions> options, HostingMode mode) =>
        TypedResults.Ok(new HealthDto("ok", options.Value.Region, options.Value.Instance, mode.Name,
            typeof(StatusApi).Assembly.GetName().Version?.ToString() ?? "0"));

    private static async Task<Ok<StatusOverviewDto>> GetAll(StatusReader reader, CatalogProvider catalog, ServiceFigures figures,
        IOptions<MonitorOptions> options, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var services = new List<ServiceStatusDto>();
        foreach (var s in await reader.ReadAllAsync(ct))
        {
            services.Add(s with { Figures = await figures.ComputeAsync(catalog.Current.FindService(s.Id)!, now, ct) });
        }
        return TypedResults.Ok(new StatusOverviewDto(options.Value.Region, now, HealthStatusText.Worst(services.Select(s => s.Status)), services));
    }

    private static async Task<Results<Ok<ServiceStatusDto>, ProblemHttpResult>> GetOne(string service, StatusReader reader, CatalogProvider catalog,
        ServiceFigures figures, RegionReader regions, TimeProvider time, CancellationToken ct)
    {
        if (catalog.Current.FindService(service) is not { } definition || await reader.ReadAsync(service, ct) is not { } status)
        {
            return ApiProblems.UnknownService(service);
        }
        status = status with
        {
            Figures = await figures.ComputeAsync(definition, time.GetUtcNow(), ct),
            Regions = await regions.ReadAsync(definition, ct),
        };
        return TypedResults.Ok(status with { Advice = Advice.For(status) });
    }
}
