using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Telemetry;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Functions;

public static class FunctionsExtensions
{
    /// <summary>
    /// The monitor on the isolated worker: ASP.NET Core integration (HttpRequest in, IResult out),
    /// OpenTelemetry through the worker (when an exporter is configured), the monitor's features, the invoker that runs a route's
    /// endpoint for its [Function], and the route table's endpoints as the app's endpoint source (the
    /// OpenAPI generator reads them from there).
    /// </summary>
    public static FunctionsApplicationBuilder AddMonitorFunctions(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        builder.AddMonitor(MonitorHost.Functions);
        if (TelemetryExporters.From(builder.Configuration, MonitorHost.Functions).Any)
        {
            builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        }
        builder.Services.AddSingleton<RouteInvoker>();
        builder.Services.AddSingleton<EndpointDataSource>(sp => sp.GetRequiredService<RouteEndpoints>());
        return builder;
    }
}
