using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace ServerlessMonitor.Functions;

/// <summary>The public subscription routes (docs/SUBSCRIPTIONS.md). Each function hands its request to the route of the same name.</summary>
public sealed class SubscriptionsFunctions(RouteInvoker routes)
{
    [Function("UnsubscribePage")]
    public IResult UnsubscribePage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/subscriptions/{id}/unsubscribe")] HttpRequest request,
        string id) =>
        routes.Invoke(request, "UnsubscribePage", id);

    [Function("Unsubscribe")]
    public IResult Unsubscribe([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/subscriptions/{id}/unsubscribe")] HttpRequest request,
        string id) =>
        routes.Invoke(request, "Unsubscribe", id);

    [Function("PushKey")]
    public IResult PushKey([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/subscriptions/push/key")] HttpRequest request) =>
        routes.Invoke(request, "PushKey");

    [Function("PushWorker")]
    public IResult PushWorker([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/subscriptions/push/sw.js")] HttpRequest request) =>
        routes.Invoke(request, "PushWorker");

    [Function("SubscribePush")]
    public IResult SubscribePush([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/services/{service}/subscriptions/push")] HttpRequest request,
        string service) =>
        routes.Invoke(request, "SubscribePush", service);

    [Function("SubscribeWebhook")]
    public IResult SubscribeWebhook([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/subscriptions/webhook")] HttpRequest request) =>
        routes.Invoke(request, "SubscribeWebhook");
}
