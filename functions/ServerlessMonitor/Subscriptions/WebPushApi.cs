using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Api;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Subscriptions;

public sealed record PushKeyDto(string PublicKey);

public sealed record SubscribedDto(string Id, string Service, string Unsubscribe);

/// <summary>
/// Web push for the public: the VAPID public key the page subscribes with, the service worker script (same origin,
/// so the page's CSP allows it with <c>worker-src 'self'</c>) and the subscribe POST.
/// </summary>
public static class WebPushApi
{
    public const string WorkerPath = "/api/subscriptions/push/sw.js";
    public const string KeyPath = "/api/subscriptions/push/key";

    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        new("PushKey", "GET", KeyPath, Key)
        {
            Tag = "Subscriptions", Summary = "Web push key", Problems = [404], Example = """{"publicKey":"BCx…"}""",
            Description = "The VAPID public key (base64url) to pass as applicationServerKey; 404 when web push is not configured.",
        },
        new("PushWorker", "GET", WorkerPath, Worker)
        {
            Tag = "Subscriptions", ContentType = "text/javascript", Summary = "Web push service worker",
            Description = "The service worker that shows the notifications; registered by the status page's Notify me button.",
        },
        new("SubscribePush", "POST", "/api/services/{service}/subscriptions/push", SubscribeAsync)
        {
            Tag = "Subscriptions", Filters = [typeof(SubscriptionsRateLimitFilter)], ChangesReadModel = false, Summary = "Subscribe by web push",
            RequestBody = typeof(PushSubscriptionBody),
            Problems = [400, 404, 413, 415, 503], Example = """{"id":"q3V…","service":"tiktok","unsubscribe":"/api/subscriptions/q3V…/unsubscribe"}""",
            Description = "Body: the browser's PushSubscription as JSON (https endpoint, keys.p256dh 65 bytes, keys.auth 16 bytes, at most 4 KiB: "
                + "413 beyond, 400 naming the field otherwise). 201 with the subscription id and its unsubscribe path; the same id again for the "
                + "same subscription. 503 when web push is not configured. Rate-limited per address.",
        },
    ];

    private static Results<Ok<PushKeyDto>, ProblemHttpResult> Key(IOptions<SubscriptionsOptions> options) =>
        options.Value.PushEnabled ? TypedResults.Ok(new PushKeyDto(options.Value.VapidPublicKey!)) : NotConfigured(404);

    private static IResult Worker() => TypedResults.Text(WebPushScripts.Worker, "text/javascript; charset=utf-8");

    private static async Task<Results<Created<SubscribedDto>, ProblemHttpResult>> SubscribeAsync(string service, HttpRequest request,
        CatalogProvider catalog, SubscriptionStore store, IOptions<SubscriptionsOptions> options, ILogger<SubscriptionStore> logger, CancellationToken ct)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        if (catalog.Current.FindService(service) is null)
        {
            return ApiProblems.UnknownService(service);
        }
        if (!options.Value.PushEnabled)
        {
            return NotConfigured(503);
        }
        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return TypedResults.Problem(statusCode: 415, title: "Subscriptions are JSON",
                detail: "Send the PushSubscription as Content-Type: application/json.", extensions: Field("Content-Type"));
        }
        var body = await RequestBody.ReadCappedAsync(request, PushSubscriptionInput.MaxBodyBytes, ct);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: 413, title: "Subscription too large",
                detail: $"A push subscription is at most {PushSubscriptionInput.MaxBodyBytes} bytes.", extensions: Field("body"));
        }
        var (input, problem, field) = PushSubscriptionInput.Parse(body, options.Value.AllowLoopback);
        if (input is null)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid push subscription", detail: problem, extensions: Field(field!));
        }
        var subscription = await store.AddAsync(SubscriptionKinds.Push, service, input.ToAddress(), ct);
        logger.LogInformation("A web push subscription to {Service} was added", service);
        var unsubscribe = UnsubscribeApi.PathFor(subscription.Id);
        return TypedResults.Created(unsubscribe, new SubscribedDto(subscription.Id, service, unsubscribe));
    }

    private static ProblemHttpResult NotConfigured(int status) => TypedResults.Problem(statusCode: status, title: "Web push is not configured",
        detail: "The operator has not set Subscriptions:VapidPublicKey and Subscriptions:VapidPrivateKey.");

    private static Dictionary<string, object?> Field(string name) => new() { ["field"] = name };
}

/// <summary>Reads a request body up to a limit; null when it is longer.</summary>
internal static class RequestBody
{
    public static async Task<byte[]?> ReadCappedAsync(HttpRequest request, int max, CancellationToken ct)
    {
        if (request.ContentLength > max)
        {
            return null;
        }
        var buffer = new byte[max + 1];
        var length = 0;
        int read;
        while (length <= max && (read = await request.Body.ReadAsync(buffer.AsMemory(length, max + 1 - length), ct)) > 0)
        {
            length += read;
        }
        return length > max ? null : buffer[..length];
    }
}
