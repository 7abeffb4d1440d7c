using Microsoft.OpenApi;

namespace ServerlessMonitor.Web;

/// <summary>
/// GET /api/openapi.json, generated from the mapped endpoints (so a new route appears by itself) with
/// the app's JSON options, source-generated contexts included. Routes mapped by other features carry
/// only a name; their summaries live here so the document reads well without touching those files.
/// Admin and timer-function routes are excluded from the description.
/// </summary>
public static class OpenApiDocs
{
    public const string Route = "/api/openapi.json";

    private static readonly Dictionary<string, (string Summary, string Description)> Operations = new(StringComparer.Ordinal)
    {
        ["Health"] = ("Liveness", "Region, instance, hosting mode and version. Never cached."),
        ["GetStatus"] = ("Status of every service",
            "Per service: status, since, open incident with its likely cause, uptime 24h/7d/30d and p50/p95/p99 response times."),
        ["GetServiceStatus"] = ("Status of one service",
            "Endpoints, per-region status, the current incident with its likely cause, and troubleshooting advice when the service is up. Unknown service: 404."),
        ["GetIncidents"] = ("Incident history of a service",
            "Incidents that started in [from, to) (ISO 8601, 1970-01-01 to 8999-12-31; default the last 90 days), newest first: kind, likely cause, duration, regions, share of failed checks, notes."),
        ["GetChecks"] = ("Raw probe results",
            "Results of one endpoint (required when the service has several), optionally one region, in [from, to) (default the last day), paged with limit and continuation."),
        ["GetUptime"] = ("Daily uptime bars", "Uptime per day for the last `days` days (1-365, default 90), per endpoint and for the service."),
        ["Compare"] = ("Comparison table",
            "One row per service over the last `days` days (default 365): uptime, downtime hours per year, p50/p95 response time, incidents, user reports."),
        ["StatusPage"] = ("Status page", "Server-rendered HTML: services, uptime bars, response times around incidents, incident history, report button."),
        ["PostReport"] = ("Report a problem",
            "A user reports a problem with a service (kind and an optional message of at most 500 characters) as application/json (else 415). "
            + "Refused (403) from a foreign Origin unless configured in Reports:AllowedOrigins. Rate-limited; 202."),
        ["GetReports"] = ("User reports",
            "Report counts per 5-minute bucket against the usual level for that time of day, and whether they surge (which also needs several distinct networks)."),
    };

    public static IHostApplicationBuilder AddApiDocs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "ServerlessMonitor API",
                    Version = "v1",
                    Description = "Is it down for everyone, or just me? Live status, incident history, uptime, response times, "
                        + "badges and an incident feed. Errors are RFC 7807 problem details; reads carry ETags.",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var name = context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
                if (name is not null && Operations.TryGetValue(name, out var docs))
                {
                    operation.Summary ??= docs.Summary;
                    operation.Description ??= docs.Description;
                }
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(Route);
        return app;
    }
}
