using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Incidents;

public static class IncidentsApi
{
    public static IHostApplicationBuilder AddIncidents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IncidentReader>();
        return builder;
    }

    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/services").WithTags("Incidents")
            .MapGet("/{service}/incidents", GetIncidents).WithName("GetIncidents");
        return app;
    }

    private static async Task<Results<Ok<IncidentListDto>, ProblemHttpResult>> GetIncidents(string service, string? from, string? to,
        CatalogProvider catalog, IncidentReader reader, TimeProvider time, CancellationToken ct)
    {
        var definition = catalog.Current.FindService(service);
        if (definition is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "Unknown service", detail: $"No service with id '{service}' is monitored here.");
        }
        var now = time.GetUtcNow();
        if (!TryParseDate(to, now, out var end))
        {
            return BadQuery("to", to);
        }
        if (!TryParseDate(from, end.AddDays(-90), out var start))
        {
            return BadQuery("from", from);
        }
        if (start >= end)
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid query", detail: "'from' must be before 'to'.");
        }
        var incidents = await reader.ReadAsync(definition, start, end, ct);
        return TypedResults.Ok(new IncidentListDto(service, start, end, incidents.Select(i => IncidentDto.From(i, now)).ToList()));
    }

    internal static bool TryParseDate(string? text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text)
            || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    internal static ProblemHttpResult BadQuery(string parameter, string? value) =>
        TypedResults.Problem(statusCode: 400, title: "Invalid query parameter",
            detail: $"'{parameter}': '{value}' is not an ISO 8601 date and time (e.g. 2026-11-21T14:00:00Z).",
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
