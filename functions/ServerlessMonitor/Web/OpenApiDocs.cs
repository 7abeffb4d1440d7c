using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Web;

/// <summary>
/// GET /api/openapi.json, generated from the <see cref="RouteTable"/> endpoints (so a new route appears by
/// itself) with the app's JSON options, source-generated contexts included. Admin routes are left out.
/// The generator reads the endpoints from DI, which both hosts fill with <see cref="RouteEndpoints"/>.
/// </summary>
public static class OpenApiDocs
{
    public const string RouteName = "GetOpenApi";
    public const string DocumentName = "v1";

    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        new(RouteName, "GET", "/api/openapi.json", GetDocumentAsync) { Tag = "OpenAPI", ContentType = "application/json", Documented = false },
    ];

    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "ServerlessMonitor API",
                Version = "v1",
                Description = "Is it down for everyone, or just me? Live status, incident history, uptime, response times, "
                    + "badges and an incident feed. Errors are RFC 7807 problem details; reads carry ETags.",
            };
            OpenApiAnswers.Apply(document);
            return Task.CompletedTask;
        }));

    private static async Task<IResult> GetDocumentAsync(HttpContext http, CancellationToken ct)
    {
        var provider = http.RequestServices.GetRequiredKeyedService<IOpenApiDocumentProvider>(DocumentName);
        var document = await provider.GetOpenApiDocumentAsync(ct);
        await using var text = new StringWriter();
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return TypedResults.Text(text.ToString(), "application/json; charset=utf-8");
    }
}
