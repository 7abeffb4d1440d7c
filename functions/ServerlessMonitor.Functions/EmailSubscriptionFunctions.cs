using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ServerlessMonitor.Functions;

/// <summary>Email double opt-in (anonymous): each function hands its request to the route of the same name.</summary>
public sealed class EmailSubscriptionFunctions(RouteInvoker routes)
{
    [Function("SubscribeEmail")]
    public IResult SubscribeEmail([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/subscriptions/email")] HttpRequest request) =>
        routes.Invoke(request, "SubscribeEmail");

    [Function("ConfirmEmailPage")]
    public IResult ConfirmEmailPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/subscriptions/email/confirm")] HttpRequest request) =>
        routes.Invoke(request, "ConfirmEmailPage");

    [Function("ConfirmEmail")]
    public IResult ConfirmEmail([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/subscriptions/email/confirm")] HttpRequest request) =>
        routes.Invoke(request, "ConfirmEmail");
}
