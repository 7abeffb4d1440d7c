using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ServerlessMonitor.Functions;

/// <summary>The admin routes: the host checks the function key (authLevel function); the endpoint checks X-Admin-Key when configured. Each function hands its request to the route of the same name.</summary>
public sealed class AdminFunctions(RouteInvoker routes)
{
    [Function("AdminListMaintenance")]
    public IResult AdminListMaintenance([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/admin/maintenance")] HttpRequest request) =>
        routes.Invoke(request, "AdminListMaintenance");

    [Function("AdminAddMaintenance")]
    public IResult AdminAddMaintenance([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/maintenance")] HttpRequest request) =>
        routes.Invoke(request, "AdminAddMaintenance");

    [Function("AdminDeleteMaintenance")]
    public IResult AdminDeleteMaintenance([HttpTrigger(AuthorizationLevel.Function, "delete", Route = "api/admin/maintenance/{id}")] HttpRequest request, string id) =>
        routes.Invoke(request, "AdminDeleteMaintenance", id);

    [Function("AdminAddIncidentNote")]
    public IResult AdminAddIncidentNote([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/incidents/{incidentId}/notes")] HttpRequest request, string incidentId) =>
        routes.Invoke(request, "AdminAddIncidentNote", incidentId);

    [Function("AdminAddIncidentUpdate")]
    public IResult AdminAddIncidentUpdate([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/incidents/{incidentId}/updates")] HttpRequest request, string incidentId) =>
        routes.Invoke(request, "AdminAddIncidentUpdate", incidentId);

    [Function("AdminProbeNow")]
    public IResult AdminProbeNow([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/probe/{service}/{endpoint}")] HttpRequest request, string service, string endpoint) =>
        routes.Invoke(request, "AdminProbeNow", service, endpoint);

    [Function("GetAdminOpenApi")]
    public IResult GetAdminOpenApi([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/admin/openapi.json")] HttpRequest request) =>
        routes.Invoke(request, "GetAdminOpenApi");
}
