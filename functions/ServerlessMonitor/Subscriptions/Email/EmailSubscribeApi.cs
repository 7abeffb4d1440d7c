using ServerlessMonitor.Api;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>
/// Email double opt-in (docs/SUBSCRIPTIONS.md). <c>POST /api/subscriptions/email</c> takes an address and a service ("*" =
/// all) and always gives the same answer: whether the address is new, pending, subscribed or over its daily limit is
/// decided later, in the background (<see cref="ConfirmationMailer"/>). The mail's link opens a page with one button (a
/// GET changes nothing: mail scanners follow links); its POST adds the subscription. Forms get pages, JSON gets JSON.
/// </summary>
public static class EmailSubscribeApi
{
    public const string SubscribePath = "/api/subscriptions/email";
    public const string Accepted = "If this address can receive mail, a confirmation link is on its way. Nothing is sent to it until it is confirmed.";

    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        new("SubscribeEmail", "POST", SubscribePath, SubscribeAsync)
        {
            Tag = "Subscriptions", Filters = [typeof(SubscriptionsRateLimitFilter)], ChangesReadModel = false, Summary = "Subscribe an email address",
            RequestBody = typeof(EmailSubscribeBody), Answer = typeof(EmailAcceptedDto), AnswerStatus = StatusCodes.Status202Accepted,
            Problems = [400, 404, 413, 415, 503], Example = $$"""{"accepted":true,"message":"{{Accepted}}"}""",
            Description = "Fields email and service (a service id, or * for all), as a form or JSON. Always 202 with the same body, whatever the address's state: "
                + "a confirmation mail with a signed link valid 24 h follows unless the address had its daily confirmations. Rate-limited per network.",
        },
        new("ConfirmEmailPage", "GET", EmailLinks.ConfirmPath, ConfirmPage)
        {
            Tag = "Subscriptions", ContentType = "text/html", Cacheable = false, Summary = "Confirmation page", Problems = [400, 404, 503],
            Description = "The confirmation link of the mail: a page with one button that confirms (POST). Changes nothing itself.",
        },
        new("ConfirmEmail", "POST", EmailLinks.ConfirmPath, ConfirmAsync)
        {
            Tag = "Subscriptions", Filters = [typeof(SubscriptionsRateLimitFilter)], ChangesReadModel = false, ContentType = "text/html",
            Summary = "Confirm an email subscription", RequestBody = typeof(EmailConfirmBody), Problems = [400, 404, 413, 415, 503],
            Description = "Field token (from the confirmation link). Adds the subscription (confirming twice changes nothing).",
        },
    ];

    private static async Task<IResult> SubscribeAsync(HttpContext http, CatalogProvider catalog, EmailSubscriptionSetup setup, ConfirmationQueue queue,
        CancellationToken ct)
    {
        var input = await EmailInput.ReadAsync(http.Request, ct);
        if (input.ErrorStatus is { } status)
        {
            return Fail(http, input, status, "Invalid request", input.Error!, "body");
        }
        if (setup.Missing is not null)
        {
            return Fail(http, input, StatusCodes.Status503ServiceUnavailable, "Email subscriptions are off", "This monitor does not send email updates.", null);
        }
        var service = input["service"] is { Length: > 0 } s ? s : SubscriptionKinds.AllServices;
        if (service != SubscriptionKinds.AllServices && catalog.Current.FindService(service) is null)
        {
            return Fail(http, input, StatusCodes.Status404NotFound, "Unknown service", $"No service with id '{TextRules.Quote(service)}' is monitored here.", "service");
        }
        if (EmailAddresses.Parse(input["email"], out var problem) is not { } address)
        {
            return Fail(http, input, StatusCodes.Status400BadRequest, "Invalid email address", $"email {problem}.", "email");
        }
        try
        {
            await queue.EnqueueAsync(new PendingConfirmation(service, address), ct);
        }
        catch (TableStoreException)
        {
            return Fail(http, input, StatusCodes.Status503ServiceUnavailable, "Try again later", "The request could not be stored; nothing was sent.", null);
        }
        http.Response.Headers.CacheControl = "no-store";
        return input.IsForm
            ? EmailPages.Html(http, StatusCodes.Status202Accepted, "Check your inbox", $"<h1>Check your inbox</h1><p>{EmailPages.Encode(Accepted)}</p><p><a href=\"/\">Back to the status page</a></p>")
            : TypedResults.Json(new EmailAcceptedDto(true, Accepted), SubscriptionsEmailJsonContext.Default.EmailAcceptedDto, statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult ConfirmPage(string? token, HttpContext http, EmailSubscriptionSetup setup, CatalogProvider catalog, TimeProvider time)
    {
        if (Read(http, setup, catalog, time, token, out var request) is { } failed)
        {
            return failed;
        }
        return EmailPages.Html(http, StatusCodes.Status200OK, "Confirm", $"""
            <h1>Confirm email updates</h1><p>Get status updates about {EmailPages.Encode(NameOf(catalog, request!.Service))} at this address?</p>
            <form method="post" action="{EmailLinks.ConfirmPath}"><input type="hidden" name="token" value="{EmailPages.Encode(token!)}"><button type="submit">Confirm</button></form>
            """);
    }

    private static async Task<IResult> ConfirmAsync(HttpContext http, EmailSubscriptionSetup setup, CatalogProvider catalog, SubscriptionStore store,
        TimeProvider time, ILogger<SubscriptionStore> logger, CancellationToken ct)
    {
        var input = await EmailInput.ReadAsync(http.Request, ct);
        if (input.ErrorStatus is { } status)
        {
            return EmailPages.Html(http, status, "Invalid request", $"<h1>Invalid request</h1><p>{EmailPages.Encode(input.Error!)}</p>");
        }
        if (Read(http, setup, catalog, time, input["token"], out var request) is { } failed)
        {
            return failed;
        }
        await store.AddAsync(SubscriptionKinds.Email, request!.Service, request.Address, ct);
        logger.LogInformation("An email subscription to {Service} was confirmed", request.Service);
        return EmailPages.Html(http, StatusCodes.Status200OK, "Subscribed",
            $"<h1>Subscribed</h1><p>You will get status updates about {EmailPages.Encode(NameOf(catalog, request.Service))}. Every mail has an unsubscribe link.</p><p><a href=\"/\">Back to the status page</a></p>");
    }

    /// <summary>The token's request, or the page that says why not.</summary>
    private static IResult? Read(HttpContext http, EmailSubscriptionSetup setup, CatalogProvider catalog, TimeProvider time, string? token, out ConfirmRequest? request)
    {
        request = null;
        if (setup.Current is not { } ready)
        {
            return EmailPages.Html(http, StatusCodes.Status503ServiceUnavailable, "Unavailable", "<h1>Email updates are off</h1><p>This monitor does not send email updates.</p>");
        }
        request = ready.Tokens.ReadConfirm(token, time.GetUtcNow(), out var problem);
        if (request is null)
        {
            return EmailPages.Html(http, StatusCodes.Status400BadRequest, "Invalid link", $"<h1>This link does not work</h1><p>{EmailPages.Encode(char.ToUpperInvariant(problem![0]) + problem[1..])}.</p>");
        }
        if (request.Service != SubscriptionKinds.AllServices && catalog.Current.FindService(request.Service) is null)
        {
            return EmailPages.Html(http, StatusCodes.Status404NotFound, "Unknown service", "<h1>This service is no longer monitored here</h1>");
        }
        return null;
    }

    private static string NameOf(CatalogProvider catalog, string service) =>
        service == SubscriptionKinds.AllServices ? "all services" : catalog.Current.FindService(service)?.Name ?? service;

    private static IResult Fail(HttpContext http, EmailInput input, int status, string title, string detail, string? field) =>
        input.IsForm
            ? EmailPages.Html(http, status, title, $"<h1>{EmailPages.Encode(title)}</h1><p>{EmailPages.Encode(detail)}</p><p><a href=\"/\">Back to the status page</a></p>")
            : TypedResults.Problem(statusCode: status, title: title, detail: detail,
                extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });
}

public sealed record EmailAcceptedDto(bool Accepted, string Message);
