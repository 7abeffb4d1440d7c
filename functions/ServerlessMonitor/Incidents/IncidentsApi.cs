using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Incidents;

public static class IncidentsApi
{
    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        new("GetIncidents", "GET", "/api/services/{service}/incidents", GetIncidents)
        {
            Tag = "Incidents", Summary = "Incident history of a service", Problems = [400, 404],
            Description = "Incidents that started in [from, to) (ISO 8601, 1970-01-01 to 8999-12-31; default the last 90 days), newest first: kind, likely cause, duration, regions, share of failed checks, notes.",
        },
    ];

    private static async Task<Results<Ok<IncidentListDto>, ProblemHttpResult>> GetIncidents(string service, string? from, string? to,
        CatalogProvider catalog, IncidentReader reader, TimeProvider time, CancellationToken ct)
    {
        var definition = catalog.Current.FindService(service);
        if (definition is null)
        {
            return ApiProblems.UnknownService(service);
        }
        var now = time.GetUtcNow();
        if (!ApiProblems.TryParseDate(to, now.AddSeconds(1), out var end))
        {
            return ApiProblems.BadDate("to", to);
        }
        if (!ApiProblems.TryParseDate(from, end.AddDays(-90), out var start))
        {
            return ApiProblems.BadDate("from", from);
        }
        if (start >= end)
        {
            return ApiProblems.BadQuery("from", "must be before 'to'.");
        }
        var incidents = await reader.ReadAsync(definition, start, end, ct);
        return TypedResults.Ok(new IncidentListDto(service, start, end, incidents.Select(i => IncidentDto.From(i, now)).ToList()));
    }
}
