using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessMonitor.Admin;
using ServerlessMonitor.Api;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Push;

/// <summary>
/// The heartbeat routes (docs/PUSH.md): <c>GET|POST /api/push/{token}</c> and <c>/api/push/{token}/{start|fail|exit code}</c>,
/// public and anonymous, limited per token rather than per address (many jobs share one NAT), never cached; and
/// the admin route that creates or rotates an endpoint's token.
/// </summary>
public static class PushApi
{
    private const string BeatDescription = "A heartbeat from a job. Uptime Kuma's ?status=up|down&msg=…&ping=<ms> work; a body of at most 10 KiB "
        + "is the message (413 beyond). Unknown token 404; more than Push:BeatsPerMinute beats per token 429 with Retry-After.";

    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        Beat("Push", "GET", "/api/push/{token}", BeatAsync, "Heartbeat"),
        Beat("PushPost", "POST", "/api/push/{token}", BeatAsync, "Heartbeat (POST)"),
        Beat("PushSignal", "GET", "/api/push/{token}/{signal}", SignalAsync, "Run started, failed, or exit code"),
        Beat("PushSignalPost", "POST", "/api/push/{token}/{signal}", SignalAsync, "Run started, failed, or exit code (POST)"),
        new("AdminRotatePushToken", "POST", "/api/admin/push/{service}/{endpoint}/token", RotateAsync)
        {
            Access = RouteAccess.Admin, Tag = "Admin", Filters = [typeof(AdminKeyFilter)], ChangesReadModel = false, Problems = [404],
        },
    ];

    private static ApiRoute Beat(string name, string method, string pattern, Delegate handler, string summary) =>
        new(name, method, pattern, handler)
        {
            Tag = "Push", Summary = summary, Description = BeatDescription, Cacheable = false, RateLimited = false, ChangesReadModel = false,
            Problems = [400, 404, 413, 429], Example = """{"ok":true}""",
        };

    private static Task<Results<Ok<BeatAnswer>, ProblemHttpResult>> BeatAsync(string token, HttpRequest request, PushReceiver receiver,
        ILogger<PushReceiver> logger, CancellationToken ct) => HandleAsync(token, null, request, receiver, logger, ct);

    private static Task<Results<Ok<BeatAnswer>, ProblemHttpResult>> SignalAsync(string token, string signal, HttpRequest request, PushReceiver receiver,
        ILogger<PushReceiver> logger, CancellationToken ct) => HandleAsync(token, signal, request, receiver, logger, ct);

    private static async Task<Results<Ok<BeatAnswer>, ProblemHttpResult>> HandleAsync(string token, string? signal, HttpRequest request,
        PushReceiver receiver, ILogger<PushReceiver> logger, CancellationToken ct)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        var (tooLarge, body) = await PushRequest.ReadBodyAsync(request, ct);
        if (tooLarge)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Beat too large",
                detail: $"A beat's body (its message) is at most {PushOptions.MaxBodyBytes} bytes.");
        }
        var (beat, problem, field) = PushRequest.Parse(signal, request.Query, body);
        if (beat is null)
        {
            return ApiProblems.BadQuery(field!, problem!);
        }
        try
        {
            var (outcome, wait) = await receiver.ReceiveAsync(token, beat, ct);
            return outcome switch
            {
                BeatOutcome.Recorded => TypedResults.Ok(new BeatAnswer(true)),
                BeatOutcome.TooManyBeats => AddressRateLimiter.TooManyRequests(request.HttpContext, wait, "Too many beats",
                    s => $"This token sent more beats than allowed per minute. Try again in {s} s."),
                _ => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown push token",
                    detail: "No push endpoint has this token. An operator creates one with POST /api/admin/push/{service}/{endpoint}/token."),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Logged without the request path: the path holds the token.
            logger.LogError(e, "A heartbeat could not be recorded");
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Internal error",
                detail: "The beat could not be recorded; send it again. The error is logged.");
        }
    }

    private static async Task<Results<Ok<PushTokenDto>, ProblemHttpResult>> RotateAsync(string service, string endpoint, HttpContext http,
        CatalogProvider catalog, PushTokens tokens, ILogger<PushTokens> logger, CancellationToken ct)
    {
        var definition = catalog.Current.FindService(service)?.Endpoints.FirstOrDefault(e => e.Id == endpoint);
        if (definition?.Push is not { } expect)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown push endpoint",
                detail: $"'{TextRules.Quote(service)}/{TextRules.Quote(endpoint)}' is not a push endpoint of the catalog.");
        }
        var token = await tokens.RotateAsync(service, endpoint, ct);
        http.Response.Headers.CacheControl = "no-store";
        logger.LogInformation("Push token created for {Service}/{Endpoint}; any previous admin-created token is retired", service, endpoint);
        return TypedResults.Ok(new PushTokenDto(service, endpoint, token, $"/api/push/{token}", expect.Describe()));
    }
}
