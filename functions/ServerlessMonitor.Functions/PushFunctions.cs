using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ServerlessMonitor.Functions;

/// <summary>
/// The heartbeat routes (anonymous: the token in the path is the credential) and the admin route that creates a
/// token. Each function hands its request to the route of the same name.
/// </summary>
public sealed class PushFunctions(RouteInvoker routes)
{
    [Function("Push")]
    public IResult Push([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/push/{token}")] HttpRequest request, string token) =>
        routes.Invoke(request, "Push", token);

    [Function("PushPost")]
    public IResult PushPost([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/push/{token}")] HttpRequest request, string token) =>
        routes.Invoke(request, "PushPost", token);

    [Function("PushSignal")]
    public IResult PushSignal([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/push/{token}/{signal}")] HttpRequest request,
        string token, string signal) =>
        routes.Invoke(request, "PushSignal", token, signal);

    [Function("PushSignalPost")]
    public IResult PushSignalPost([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/push/{token}/{signal}")] HttpRequest request,
        string token, string signal) =>
        routes.Invoke(request, "PushSignalPost", token, signal);

    [Function("AdminRotatePushToken")]
    public IResult AdminRotatePushToken(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/push/{service}/{endpoint}/token")] HttpRequest request,
        string service, string endpoint) =>
        routes.Invoke(request, "AdminRotatePushToken", service, endpoint);
}
