using Microsoft.AspNetCore.Http;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Functions;

/// <summary>
/// Runs the endpoint of a <see cref="RouteTable"/> route for the [Function] that serves it: the Functions
/// host matched the route and bound its parameters, so they are handed over as route values, and the
/// endpoint (binding, filters, handler) does the rest exactly as in the standalone host.
/// </summary>
public sealed class RouteInvoker(RouteEndpoints endpoints)
{
    public IResult Invoke(HttpRequest request, string route, params string[] routeValues)
    {
        var endpoint = endpoints[route];
        var names = endpoint.RoutePattern.Parameters;
        if (names.Count != routeValues.Length)
        {
            throw new ArgumentException($"Route {route} takes {names.Count} route values, got {routeValues.Length}", nameof(routeValues));
        }
        for (var i = 0; i < names.Count; i++)
        {
            request.RouteValues[names[i].Name] = routeValues[i];
        }
        return new EndpointResult(endpoint);
    }

    private sealed class EndpointResult(Microsoft.AspNetCore.Routing.RouteEndpoint endpoint) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.SetEndpoint(endpoint);
            return endpoint.RequestDelegate!(httpContext);
        }
    }
}
