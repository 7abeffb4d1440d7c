using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ServerlessMonitor.Functions;

/// <summary>The notification admin routes (authLevel function + X-Admin-Key), each handing its request to the route of the same name.</summary>
public sealed class NotificationsFunctions(RouteInvoker routes)
{
    [Function("AdminNotifications")]
    public IResult AdminNotifications([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/admin/notifications")] HttpRequest request) =>
        routes.Invoke(request, "AdminNotifications");

    [Function("AdminNotificationsTest")]
    public IResult AdminNotificationsTest([HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/notifications/{channel}/test")] HttpRequest request,
        string channel) =>
        routes.Invoke(request, "AdminNotificationsTest", channel);

    [Function("AdminNotificationsRedrive")]
    public IResult AdminNotificationsRedrive(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/admin/notifications/deliveries/{partition}/{id}/redrive")] HttpRequest request,
        string partition, string id) =>
        routes.Invoke(request, "AdminNotificationsRedrive", partition, id);
}
