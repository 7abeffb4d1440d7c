using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace ServerlessMonitor.Web;

/// <summary>
/// The problem details (RFC 9457) every error answer carries, with the extensions the API adds
/// (<see cref="Api.ApiProblems"/>, the reports and push routes, the rate limits), and an example per status.
/// </summary>
internal static class OpenApiProblem
{
    public static OpenApiSchema Schema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details. Extensions name what was wrong, for programs.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI reference that identifies the problem type."),
            ["title"] = Text("A short summary of the problem type."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
            ["detail"] = Text("What went wrong with this request, and how to fix it."),
            ["instance"] = Text("The request the problem occurred on."),
            ["traceId"] = Text("The request's trace id, to find it in the logs."),
            ["parameter"] = Text("The query parameter that was wrong (400)."),
            ["field"] = Text("The body field that was wrong (400, 413)."),
            ["header"] = Text("The request header that was wrong (403, 415)."),
            ["retryAfterSeconds"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "As the Retry-After header (429)." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Validation errors per field (admin routes).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
        AdditionalPropertiesAllowed = true,
    };

    public static string Description(int status) => status switch
    {
        400 => "Bad request: a query parameter, path value or body field is invalid (named in `parameter` or `field`).",
        401 => "The admin key is missing or wrong (send X-Admin-Key).",
        403 => "Refused: a foreign Origin (reports) or the admin API is off.",
        404 => "Not found: unknown service, endpoint, badge kind or push token.",
        405 => "Method not allowed on this path.",
        413 => "The body is too large.",
        415 => "Unsupported Content-Type (send application/json).",
        422 => "Understood but not done: a webhook URL that did not pass its verification challenge.",
        429 => "Too many requests: wait Retry-After seconds.",
        500 => "Internal error; it is logged.",
        503 => "Busy: send the request again after Retry-After seconds.",
        _ => "Error.",
    };

    public static JsonNode Example(int status)
    {
        var example = new JsonObject
        {
            ["title"] = ExampleTitle(status),
            ["status"] = status,
            ["detail"] = Description(status),
        };
        switch (status)
        {
            case 400:
                example["parameter"] = "days";
                example["detail"] = "'days': must be a whole number from 1 to 365";
                break;
            case 415:
                example["header"] = "Content-Type";
                break;
            case 429:
                example["retryAfterSeconds"] = 12;
                break;
        }
        return example;
    }

    private static string ExampleTitle(int status) => status switch
    {
        400 => "Invalid query parameter",
        404 => "Unknown service",
        429 => "Too many requests",
        _ => Description(status).Split(':', '.')[0],
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}
