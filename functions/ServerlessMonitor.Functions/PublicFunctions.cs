using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ServerlessMonitor.Functions;

/// <summary>The public routes: anonymous, rate-limited in the shared endpoint filters, cached with ETags. Each function hands its request to the route of the same name.</summary>
public sealed class PublicFunctions(RouteInvoker routes)
{
    /// <summary>
    /// The site root. Not "/": with routePrefix "" the worker's ASP.NET Core integration parses prefix + "/" + route,
    /// "//", which fails, and with it every HTTP function (FunctionsEndpointDataSource builds all endpoints at once).
    /// Not "": the host serves an empty route under the function's name. An optional parameter that only an empty
    /// segment satisfies matches exactly "/" in the host's router and in the worker's.
    /// </summary>
    public const string RootRoute = "{_:regex(^$)?}";

    [Function("StatusPage")]
    public IResult StatusPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = RootRoute)] HttpRequest request) =>
        routes.Invoke(request, "StatusPage");

    [Function("ServicePage")]
    public IResult ServicePage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "services/{service}")] HttpRequest request, string service) =>
        routes.Invoke(request, "ServicePage", service);

    [Function("Health")]
    public IResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request) =>
        routes.Invoke(request, "Health");

    [Function("GetStatus")]
    public IResult GetStatus([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/status")] HttpRequest request) =>
        routes.Invoke(request, "GetStatus");

    [Function("GetServiceStatus")]
    public IResult GetServiceStatus([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/status/{service}")] HttpRequest request, string service) =>
        routes.Invoke(request, "GetServiceStatus", service);

    [Function("GetIncidents")]
    public IResult GetIncidents([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/services/{service}/incidents")] HttpRequest request, string service) =>
        routes.Invoke(request, "GetIncidents", service);

    [Function("GetChecks")]
    public IResult GetChecks([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/services/{service}/checks")] HttpRequest request, string service) =>
        routes.Invoke(request, "GetChecks", service);

    [Function("GetUptime")]
    public IResult GetUptime([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/services/{service}/uptime")] HttpRequest request, string service) =>
        routes.Invoke(request, "GetUptime", service);

    [Function("Compare")]
    public IResult Compare([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/compare")] HttpRequest request) =>
        routes.Invoke(request, "Compare");

    [Function("PostReport")]
    public IResult PostReport([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/services/{service}/reports")] HttpRequest request, string service) =>
        routes.Invoke(request, "PostReport", service);

    [Function("GetReports")]
    public IResult GetReports([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/services/{service}/reports")] HttpRequest request, string service) =>
        routes.Invoke(request, "GetReports", service);

    [Function("GetBadge")]
    public IResult GetBadge([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/badges/{service}/{kind}.svg")] HttpRequest request, string service, string kind) =>
        routes.Invoke(request, "GetBadge", service, kind);

    [Function("GetFeed")]
    public IResult GetFeed([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/feed.atom")] HttpRequest request) =>
        routes.Invoke(request, "GetFeed");

    [Function("GetOpenApi")]
    public IResult GetOpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request) =>
        routes.Invoke(request, "GetOpenApi");
}
