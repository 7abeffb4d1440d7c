using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Functions;

public static class FunctionsExtensions
{
    /// <summary>
    /// What only the Functions app adds: the invoker that runs a route's endpoint for its [Function], and the
    /// route table's endpoints as the app's endpoint source (the OpenAPI generator reads them from there).
    /// </summary>
    public static IHostApplicationBuilder AddFunctionsHosting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RouteInvoker>();
        builder.Services.AddSingleton<EndpointDataSource>(sp => sp.GetRequiredService<RouteEndpoints>());
        return builder;
    }
}
