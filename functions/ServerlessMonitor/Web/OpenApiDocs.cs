using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Web;

/// <summary>
/// GET /api/openapi.json, generated from the <see cref="RouteTable"/> endpoints (so a new route appears by
/// itself) with the app's JSON options, source-generated contexts included. Admin routes are left out.
/// The generator reads the endpoints from DI, which both hosts fill with <see cref="RouteEndpoints"/>.
/// GET /api/admin/openapi.json (behind the admin key) describes the admin routes, with the key's security scheme.
/// </summary>
public static class OpenApiDocs
{
    public const string RouteName = "GetOpenApi";
    public const string DocumentName = "v1";

    public const string AdminDocumentName = "admin";
    public const string AdminKeyScheme = "AdminKey";

    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        new(RouteName, "GET", "/api/openapi.json", (HttpContext http, CancellationToken ct) => GetDocumentAsync(http, DocumentName, ct))
        {
            Tag = "OpenAPI", ContentType = "application/json", Documented = false,
        },
        new("GetAdminOpenApi", "GET", "/api/admin/openapi.json", (HttpContext http, CancellationToken ct) => GetDocumentAsync(http, AdminDocumentName, ct))
        {
            Access = RouteAccess.Admin, Tag = "Admin", ContentType = "application/json", Documented = false, Filters = [typeof(Admin.AdminKeyFilter)],
        },
    ];

    public static IServiceCollection AddApiDocs(this IServiceCollection services) => services
        .AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = d => RouteOf(d) is { InDocument: true };
            o.AddOperationTransformer(OpenApiRequestBody.ApplyAsync);
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ServerlessMonitor API",
                    Version = "v1",
                    Description = "Is it down for everyone, or just me? Live status, incident history, uptime, response times, "
                        + "badges and an incident feed. Errors are RFC 9457 problem details; reads carry ETags.",
                };
                OpenApiAnswers.Apply(document);
                return Task.CompletedTask;
            });
        })
        .AddOpenApi(AdminDocumentName, o =>
        {
            o.ShouldInclude = d => RouteOf(d) is { Access: RouteAccess.Admin, Documented: true };
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ServerlessMonitor admin API",
                    Version = "v1",
                    Description = "Maintenance windows, incident notes, probe now and push tokens. Every request sends the admin key "
                        + "(Admin:Key) as the X-Admin-Key header; on Azure Functions the function key is needed as well.",
                };
                OpenApiAdminKey.Apply(document);
                OpenApiAnswers.Apply(document);
                return Task.CompletedTask;
            });
        });

    /// <summary>The route an API description was made from (its endpoint name is the route's name).</summary>
    internal static ApiRoute? RouteOf(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description) =>
        description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault() is { } name
            ? RouteTable.All.SingleOrDefault(r => r.Name == name.EndpointName)
            : null;

    private static async Task<IResult> GetDocumentAsync(HttpContext http, string name, CancellationToken ct)
    {
        var provider = http.RequestServices.GetRequiredKeyedService<IOpenApiDocumentProvider>(name);
        var document = await provider.GetOpenApiDocumentAsync(ct);
        await using var text = new StringWriter();
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return TypedResults.Text(text.ToString(), "application/json; charset=utf-8");
    }
}
