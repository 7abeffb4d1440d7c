using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Api;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Reports;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Rollups;

public static class HistoryApi
{
    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        new("GetChecks", "GET", "/api/services/{service}/checks", GetChecks)
        {
            Tag = "History", Summary = "Raw probe results", Problems = [400, 404],
            Description = "Results of one endpoint (required when the service has several), optionally one region, in [from, to) (default the last day), paged with limit and continuation. `rawFrom` and `eventsFrom` say what is kept: every check since `rawFrom`, before that only checks that failed or changed the status, back to `eventsFrom`.",
        },
        new("GetUptime", "GET", "/api/services/{service}/uptime", GetUptime)
        {
            Tag = "History", Summary = "Daily uptime bars", Problems = [400, 404],
            Description = "Uptime per day for the last `days` days (1-365, default 90), per endpoint and for the service.",
        },
        new("Compare", "GET", "/api/compare", GetCompare)
        {
            Tag = "History", Summary = "Comparison table", Problems = [400],
            Description = "One row per service over the last `days` days (default 365): uptime, downtime hours per year, p50/p95 response time, incidents, user reports.",
        },
    ];

    private static async Task<Results<Ok<CheckPageDto>, ProblemHttpResult>> GetChecks(string service, string? endpoint, string? region,
        string? from, string? to, string? limit, string? continuation, CatalogProvider catalog, HistoryReader history, TimeProvider time, CancellationToken ct)
    {
        if (catalog.Current.FindService(service) is not { } definition)
        {
            return ApiProblems.UnknownService(service);
        }
        var target = endpoint is null && definition.Endpoints.Count == 1 ? definition.Endpoints[0]
            : definition.Endpoints.FirstOrDefault(e => e.Id == endpoint);
        if (target is null)
        {
            return ApiProblems.BadQuery("endpoint", endpoint is null
                ? $"required: one of {string.Join(", ", definition.Endpoints.Select(e => e.Id))}"
                : $"'{endpoint}' is not an endpoint of '{service}' (one of {string.Join(", ", definition.Endpoints.Select(e => e.Id))})");
        }
        if (region is not null && !System.Text.RegularExpressions.Regex.IsMatch(region, "^[a-z0-9][a-z0-9-]{0,30}$"))
        {
            return ApiProblems.BadQuery("region", $"'{region}' is not a region name");
        }
        var now = time.GetUtcNow();
        if (!ApiProblems.TryParseDate(to, now.AddSeconds(1), out var end))
        {
            return ApiProblems.BadDate("to", to);
        }
        if (!ApiProblems.TryParseDate(from, end.AddDays(-1), out var start))
        {
            return ApiProblems.BadDate("from", from);
        }
        if (!ApiProblems.TryParseInt(limit, 100, 1, HistoryReader.MaxPage, out var pageSize))
        {
            return ApiProblems.BadQuery("limit", $"must be a whole number from 1 to {HistoryReader.MaxPage}");
        }
        if (continuation is { Length: > 2048 })
        {
            return ApiProblems.BadQuery("continuation", "not a continuation token from this API");
        }
        try
        {
            return TypedResults.Ok(await history.ChecksAsync(definition, target, region, start, end, pageSize, continuation, ct));
        }
        catch (TableStoreException e) when (e.Kind == TableErrorKind.BadRequest && continuation is not null)
        {
            // Tokens are opaque and only the store can tell a forged or truncated one: its refusal is the client's error.
            return ApiProblems.BadQuery("continuation", "not a continuation token from this API (or not one for this query)");
        }
    }

    private static async Task<Results<Ok<UptimeHistoryDto>, ProblemHttpResult>> GetUptime(string service, string? days, CatalogProvider catalog,
        HistoryReader history, TimeProvider time, CancellationToken ct)
    {
        if (catalog.Current.FindService(service) is not { } definition)
        {
            return ApiProblems.UnknownService(service);
        }
        if (!ApiProblems.TryParseInt(days, 90, 1, 365, out var n))
        {
            return ApiProblems.BadQuery("days", "must be a whole number from 1 to 365");
        }
        return TypedResults.Ok(await history.UptimeAsync(definition, n, time.GetUtcNow(), ct));
    }

    private static async Task<Results<Ok<CompareDto>, ProblemHttpResult>> GetCompare(string? days, CatalogProvider catalog, HistoryReader history,
        ReportReader reports, TimeProvider time, CancellationToken ct)
    {
        if (!ApiProblems.TryParseInt(days, 365, 1, 365, out var n))
        {
            return ApiProblems.BadQuery("days", "must be a whole number from 1 to 365");
        }
        var now = time.GetUtcNow();
        var rows = new List<CompareRowDto>();
        foreach (var service in catalog.Current.Services)
        {
            rows.Add(await history.CompareAsync(service, n, now, await reports.CountAsync(service.Id, HistoryReader.WindowStart(n, now), now, ct), ct));
        }
        return TypedResults.Ok(new CompareDto(n, HistoryReader.WindowStart(n, now), now, rows));
    }
}
