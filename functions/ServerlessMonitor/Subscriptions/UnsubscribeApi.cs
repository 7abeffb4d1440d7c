using System.Net;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// Unsubscribing by id, the unguessable capability every message carries: <c>GET /api/subscriptions/{id}/unsubscribe</c>
/// is a page with one button (a GET never changes anything: mail scanners follow links), its form POSTs to the same
/// path, which is also the RFC 8058 one-click target. The answer is the same whether the id existed or not.
/// </summary>
public static class UnsubscribeApi
{
    public const string PathTemplate = "/api/subscriptions/{id}/unsubscribe";
    private const string Done = "You will get no more messages from this subscription.";

    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        new("UnsubscribePage", "GET", PathTemplate, Page)
        {
            Tag = "Subscriptions", ContentType = "text/html", Summary = "Unsubscribe page", Problems = [404],
            Description = "A page with one button that unsubscribes (POST to the same path); the same page for every well-formed id, so it shows "
                + "nothing about the subscription. 404 for an id that cannot be one.",
        },
        new("Unsubscribe", "POST", PathTemplate, UnsubscribeAsync)
        {
            Tag = "Subscriptions", Filters = [typeof(SubscriptionsRateLimitFilter)], ChangesReadModel = false, Summary = "Unsubscribe", Answer = typeof(UnsubscribedDto),
            Problems = [404, 429], Example = """{"unsubscribed":true,"message":"You will get no more messages from this subscription."}""",
            Description = "Removes the subscription with this id (web push, email or webhook). A form post (also RFC 8058 List-Unsubscribe=One-Click) "
                + "is answered with a page, anything else with JSON. The answer does not say whether the id existed (404 only for an id that cannot be one). "
                + "Rate-limited per address.",
        },
    ];

    public static string PathFor(string id) => PathTemplate.Replace("{id}", Uri.EscapeDataString(id), StringComparison.Ordinal);

    private static IResult Page(string id)
    {
        if (!SubscriptionRows.IsWellFormedId(id))
        {
            return NotAnId();
        }
        var action = WebUtility.HtmlEncode(PathFor(id));
        return Html("Unsubscribe", $"""
            <h1>Unsubscribe</h1>
            <p>Stop the notifications of this subscription?</p>
            <form method="post" action="{action}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
            """);
    }

    private static async Task<IResult> UnsubscribeAsync(string id, HttpContext http, SubscriptionStore store, ILogger<SubscriptionStore> logger,
        CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (!SubscriptionRows.IsWellFormedId(id))
        {
            return NotAnId();
        }
        if (await store.RemoveAsync(id, ct))
        {
            logger.LogInformation("A subscription was removed by its unsubscribe link");
        }
        return http.Request.HasFormContentType
            ? Html("Unsubscribed", $"<h1>Unsubscribed</h1><p>{Done}</p><p><a href=\"/\">Back to the status page</a></p>")
            : TypedResults.Ok(new UnsubscribedDto(true, Done));
    }

    private static IResult NotAnId() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not a subscription id",
        detail: "A subscription id is the 22 characters of A-Z, a-z, 0-9, '-' and '_' from the link in a message.");

    /// <summary>
    /// The policy travels in the page (a cached answer keeps bytes, not headers): nothing but the form, no script, no
    /// style, posting only to ourselves. Framing is refused by the headers every HTML answer gets.
    /// </summary>
    public const string Policy = "default-src 'none'; form-action 'self'; base-uri 'none'";

    private static IResult Html(string title, string body) =>
        TypedResults.Content($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="{Policy}">
            <meta name="robots" content="noindex"><title>{title}</title></head>
            <body><main>{body}</main></body></html>
            """, "text/html; charset=utf-8");
}
