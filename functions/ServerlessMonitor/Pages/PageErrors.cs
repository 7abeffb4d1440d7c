using System.Text;
using ServerlessMonitor.Api;
using static ServerlessMonitor.Pages.SvgCharts;

namespace ServerlessMonitor.Pages;

/// <summary>
/// A page's errors: a short HTML page that says what was wrong and links home for a browser, and the same problem
/// details the API answers (naming the query parameter) for a program that asks for JSON.
/// </summary>
internal static class PageErrors
{
    public static IResult BadQuery(HttpRequest request, string parameter, string detail, DateTimeOffset now) =>
        WantsJson(request) ? ApiProblems.BadQuery(parameter, detail)
            : Page(StatusCodes.Status400BadRequest, "That address has a mistake", $"{parameter}: {detail}", now);

    public static IResult NoSuchPage(HttpRequest request, string detail, DateTimeOffset now) =>
        WantsJson(request) ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such page", detail: detail)
            : Page(StatusCodes.Status404NotFound, "No such page", detail, now);

    public static IResult UnknownService(HttpRequest request, string service, DateTimeOffset now) =>
        WantsJson(request) ? ApiProblems.UnknownService(service)
            : Page(StatusCodes.Status404NotFound, "No such service", $"No service with id '{Catalog.TextRules.Quote(service)}' is monitored here.", now);

    private static IResult Page(int status, string title, string detail, DateTimeOffset now)
    {
        var sb = PageFrame.Open(new StringBuilder(), $"{title} — ServerlessMonitor", [])
            .Append("<header><h1>").Append(Html(title)).Append("</h1></header><main><p>").Append(Html(detail)).Append("</p>")
            .Append("<p><a href=\"/\">All services</a></p></main>");
        return Results.Content(PageFrame.Close(sb, now).ToString(), "text/html; charset=utf-8", statusCode: status);
    }

    private static bool WantsJson(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Value is { } type
            && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.Equals("application/problem+json", StringComparison.OrdinalIgnoreCase)));
}
