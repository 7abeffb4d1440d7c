using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Status;

public static class StatusApi
{
    public static IHostApplicationBuilder AddStatus(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EndpointRecorder>();
        builder.Services.AddSingleton<Rollups.RollupWriter>();
        builder.Services.AddSingleton<Rollups.RollupReader>();
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

    private static async Task<Ok<StatusOverviewDto>> GetAll(StatusReader reader, IOptions<MonitorOptions> options, TimeProvider time, CancellationToken ct)
    {
        var services = await reader.ReadAllAsync(ct);
        return TypedResults.Ok(new StatusOverviewDto(options.Value.Region, time.GetUtcNow(),
            HealthStatusText.Worst(services.Select(s => s.Status)), services));
    }

    private static async Task<Results<Ok<ServiceStatusDto>, ProblemHttpResult>> GetOne(string service, StatusReader reader, CancellationToken ct) =>
        await reader.ReadAsync(service, ct) is { } status
            ? TypedResults.Ok(status)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown service",
                detail: $"No service with id '{service}' is monitored here. GET /api/status lists them.");
}
