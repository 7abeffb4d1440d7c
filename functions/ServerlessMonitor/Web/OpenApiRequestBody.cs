using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ServerlessMonitor.Web;

/// <summary>
/// The JSON request body of a route that reads its body by hand (<see cref="Api.ApiRoute.RequestBody"/>), as a schema
/// component named after the type, so a generated client has a typed body to send.
/// </summary>
internal static class OpenApiRequestBody
{
    public const string MediaType = "application/json";

    public static async Task ApplyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (OpenApiDocs.RouteOf(context.Description)?.RequestBody is not { } type || context.Document is not { } document)
        {
            return;
        }
        var schema = await context.GetOrCreateSchemaAsync(type, parameterDescription: null, ct);
        // The generator lists every constructor parameter as required; one with a default may be left out of the body.
        foreach (var optional in type.GetConstructors().SelectMany(c => c.GetParameters()).Where(p => p.HasDefaultValue))
        {
            (schema as OpenApiSchema)?.Required?.Remove(JsonNamingPolicy.CamelCase.ConvertName(optional.Name!));
        }
        document.AddComponent(type.Name, schema);
        operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { [MediaType] = new() { Schema = new OpenApiSchemaReference(type.Name, document) } },
        };
    }
}
