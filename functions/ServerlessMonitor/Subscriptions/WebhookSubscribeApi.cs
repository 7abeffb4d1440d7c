using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Api;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Subscriptions;

/// <summary>The subscribe body, for the OpenAPI document: <see cref="WebhookSubscribeInput"/> reads it field by field.</summary>
public sealed record WebhookSubscribeBody(string Service, string Url);

/// <summary>A new (or the existing) webhook subscription; <see cref="Secret"/> signs its events and is shown only here.</summary>
public sealed record WebhookSubscribedDto(string Id, string Service, string Unsubscribe, string Secret);

/// <summary>
/// <c>POST /api/subscriptions/webhook</c>: checks the URL (<see cref="WebhookUrl"/>), sends the challenge
/// (<see cref="WebhookChallenge"/>) and stores the subscription only when the receiver echoed it — so nothing is ever
/// sent to a URL that did not ask for it. Unsubscribing is <see cref="UnsubscribeApi"/> with the returned id.
/// </summary>
public static class WebhookSubscribeApi
{
    public const string Path = "/api/subscriptions/webhook";

    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        new("SubscribeWebhook", "POST", Path, SubscribeAsync)
        {
            Tag = "Subscriptions", Filters = [typeof(SubscriptionsRateLimitFilter)], ChangesReadModel = false, Summary = "Subscribe a webhook",
            RequestBody = typeof(WebhookSubscribeBody), Problems = [400, 404, 413, 415, 422, 503],
            Example = """{"id":"q3V…","service":"tiktok","unsubscribe":"/api/subscriptions/q3V…/unsubscribe","secret":"Jx2…"}""",
            Description = "JSON {service (a service id or * for all), url}. The url must be https, without credentials, port 443 or ≥ 1024, at most "
                + "2048 characters, and lead to public addresses only (400 naming the field). The monitor then POSTs a CloudEvent of type "
                + "ServerlessMonitor.Subscription.Validation with data.validationCode; the receiver must answer 2xx with "
                + "{\"validationResponse\":\"<code>\"} (422 otherwise; redirects are not followed). 201 with the id, its unsubscribe path and the "
                + "secret that signs every event (X-ServerlessMonitor-Signature: sha256=<hex HMAC of the body>), shown only in this answer. "
                + "503 when webhook subscriptions are off. Rate-limited per address.",
        },
    ];

    private static async Task<Results<Created<WebhookSubscribedDto>, ProblemHttpResult>> SubscribeAsync(HttpRequest request, CatalogProvider catalog,
        SubscriptionStore store, WebhookSecrets secrets, WebhookChallenge challenge, IOptions<SubscriptionsOptions> options,
        ILogger<SubscriptionStore> logger, CancellationToken ct)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Problem(415, "Subscriptions are JSON", "Send {\"service\":…,\"url\":…} as Content-Type: application/json.", "Content-Type");
        }
        var body = await RequestBody.ReadCappedAsync(request, WebhookSubscribeInput.MaxBodyBytes, ct);
        if (body is null)
        {
            return Problem(413, "Subscription too large", $"A webhook subscription is at most {WebhookSubscribeInput.MaxBodyBytes} bytes.", "body");
        }
        var (input, problem, field) = WebhookSubscribeInput.Parse(body);
        if (input is null)
        {
            return Problem(400, "Invalid webhook subscription", problem!, field!);
        }
        if (input.Service != SubscriptionKinds.AllServices && catalog.Current.FindService(input.Service) is null)
        {
            return ApiProblems.UnknownService(input.Service);
        }
        if (!secrets.Ready)
        {
            return Problem(503, "Webhook subscriptions are off", "The operator has not set Subscriptions:SigningKey.", null);
        }
        if (await WebhookUrl.CheckAddressesAsync(input.Url, options.Value.AllowLoopback, ct) is { } refused)
        {
            return Problem(400, "Invalid webhook subscription", refused, "url");
        }
        if (await challenge.VerifyAsync(input.Url, input.Service, ct) is { } failed)
        {
            return Problem(422, "Webhook not verified", "url: " + failed, "url");
        }
        var subscription = await store.AddAsync(SubscriptionKinds.Webhook, input.Service, input.Url.AbsoluteUri, ct);
        logger.LogInformation("A webhook subscription to {Service} was added", input.Service);
        var unsubscribe = UnsubscribeApi.PathFor(subscription.Id);
        return TypedResults.Created(unsubscribe, new WebhookSubscribedDto(subscription.Id, input.Service, unsubscribe, secrets.For(subscription.Id)));
    }

    private static ProblemHttpResult Problem(int status, string title, string detail, string? field) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail,
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });
}
