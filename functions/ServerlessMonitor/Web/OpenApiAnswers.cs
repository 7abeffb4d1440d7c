using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Web;

/// <summary>
/// Adds to every operation of a document the answers the generator cannot see: the problem+json errors of its
/// <see cref="ApiRoute"/> (its own <see cref="ApiRoute.Problems"/> and those of the shared filters), 304 and the
/// ETag / Cache-Control headers of cached reads, and Retry-After on 429 and 503. The route is found by the
/// operation id, which is the route's name.
/// </summary>
internal static class OpenApiAnswers
{
    public const string ProblemSchema = "Problem";
    public const string ProblemMediaType = "application/problem+json";

    public static void Apply(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = OpenApiProblem.Schema();
        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                var route = RouteTable.All.SingleOrDefault(r => r.Name == operation.OperationId)
                    ?? throw new InvalidOperationException($"{method} {path} has no route named '{operation.OperationId}' in the route table.");
                Describe(document, operation, route);
            }
        }
    }

    private static void Describe(OpenApiDocument document, OpenApiOperation operation, ApiRoute route)
    {
        operation.Responses ??= [];
        if ((route.Example is { } json ? JsonNode.Parse(json) : OpenApiExamples.For(route.Name)) is { } example)
        {
            var main = operation.Responses.Where(r => r.Key.StartsWith('2')).Select(r => r.Value).OfType<OpenApiResponse>().First();
            foreach (var media in main.Content?.Values ?? [])
            {
                media.Example = example.DeepClone();
            }
        }
        var cached = route.IsPublicRead && route.Cacheable;
        if (cached)
        {
            foreach (var success in operation.Responses.Where(r => r.Key.StartsWith('2')).Select(r => r.Value).OfType<OpenApiResponse>())
            {
                success.Headers ??= new Dictionary<string, IOpenApiHeader>();
                success.Headers["ETag"] = Header("The version of this answer; send it back as If-None-Match.", JsonSchemaType.String);
                success.Headers["Cache-Control"] = Header("How long a cache in front may keep and revalidate this answer.", JsonSchemaType.String);
            }
            operation.Responses["304"] = new OpenApiResponse
            {
                Description = "Not modified: If-None-Match named the current ETag; no body.",
                Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["ETag"] = Header("The current version (unchanged).", JsonSchemaType.String),
                    ["Cache-Control"] = Header("As on the 200 answer.", JsonSchemaType.String),
                },
            };
        }
        foreach (var status in ProblemStatuses(route))
        {
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = Problem(document, status, route.ContentType);
        }
    }

    /// <summary>The route's own problems plus those every request on it can meet.</summary>
    internal static IEnumerable<int> ProblemStatuses(ApiRoute route)
    {
        var all = new SortedSet<int>(route.Problems) { StatusCodes.Status405MethodNotAllowed, StatusCodes.Status500InternalServerError };
        if (route.Access == RouteAccess.Public && route.RateLimited)
        {
            all.Add(StatusCodes.Status429TooManyRequests);
        }
        if (route.Access == RouteAccess.Admin)
        {
            all.UnionWith([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests]);
        }
        return all;
    }

    /// <summary>A page's errors are also pages (<see cref="Pages.PageErrors"/>): problem details only when the request accepts JSON.</summary>
    private static OpenApiResponse Problem(OpenApiDocument document, int status, string? routeContentType)
    {
        var response = new OpenApiResponse
        {
            Description = OpenApiProblem.Description(status),
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemMediaType] = new()
                {
                    Schema = new OpenApiSchemaReference(ProblemSchema, document),
                    Example = OpenApiProblem.Example(status),
                },
            },
        };
        if (routeContentType == "text/html" && status is StatusCodes.Status400BadRequest or StatusCodes.Status404NotFound)
        {
            response.Content["text/html"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }
        if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = Header("Seconds to wait before trying again (at least 1).", JsonSchemaType.Integer),
            };
        }
        return response;
    }

    private static OpenApiHeader Header(string description, JsonSchemaType type) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = type } };
}
