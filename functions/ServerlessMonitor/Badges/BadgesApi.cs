using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Api;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;

namespace ServerlessMonitor.Badges;

/// <summary>
/// GET /api/badges/{service}/{status|uptime|response-time}.svg — badges for READMEs and wikis. They go
/// through the conditional-GET middleware like every public read, so image proxies revalidate cheaply.
/// </summary>
public static class BadgesApi
{
    public static readonly IReadOnlyList<string> Kinds = ["status", "uptime", "response-time"];

    private const string NoData = "no data";

    public static IReadOnlyList<ApiRoute> Routes { get; } =
    [
        new("GetBadge", "GET", "/api/badges/{service}/{kind}.svg", GetBadge)
        {
            Tag = "Badges", ContentType = BadgesSvg.ContentType, Summary = "SVG badge of a service", Problems = [404],
            Description = "kind: 'status' (current status), 'uptime' (30-day uptime) or 'response-time' (24-hour p95). "
                + "Flat shields-style SVG, coloured by state: up green, degraded yellow, partial orange, down red, maintenance blue, unknown grey.",
        },
    ];

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetBadge(string service, string kind, CatalogProvider catalog,
        StatusReader status, ServiceFigures figures, TimeProvider time, CancellationToken ct)
    {
        if (catalog.Current.FindService(service) is not { } definition)
        {
            return ApiProblems.UnknownService(service);
        }
        (string Label, string Value, string Color)? badge = kind switch
        {
            "status" => Status(definition.Name, (await status.ReadAsync(service, ct))?.Status ?? HealthStatus.Unknown),
            "uptime" => Uptime((await figures.ComputeAsync(definition, time.GetUtcNow(), ct)).Uptime.D30),
            "response-time" => ResponseTime((await figures.ComputeAsync(definition, time.GetUtcNow(), ct)).ResponseTime.P95),
            _ => null,
        };
        if (badge is not { } b)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown badge",
                detail: $"'{kind}.svg' is not a badge; use one of {string.Join(", ", Kinds.Select(k => k + ".svg"))}.");
        }
        return TypedResults.Text(BadgesSvg.Render(b.Label, b.Value, b.Color), BadgesSvg.ContentType, Encoding.UTF8);
    }

    internal static (string, string, string) Status(string label, HealthStatus status) => (label, status.ToWire(), StatusColor(status));

    internal static string StatusColor(HealthStatus status) => status switch
    {
        HealthStatus.Up => "#4c1",
        HealthStatus.Degraded => "#dfb317",
        HealthStatus.Partial => "#fe7d37",
        HealthStatus.Down => "#e05d44",
        HealthStatus.Maintenance => "#007ec6",
        _ => "#9f9f9f",
    };

    /// <summary>Truncated, not rounded: 99.996 % shows as 99.99 %, because "100%" must mean no downtime at all.</summary>
    internal static (string, string, string) Uptime(double? share)
    {
        if (share is not { } u)
        {
            return ("uptime 30d", NoData, "#9f9f9f");
        }
        var percent = Math.Floor(u * 10000) / 100;
        var color = percent switch
        {
            >= 99.9 => "#4c1",
            >= 99 => "#97ca00",
            >= 97 => "#dfb317",
            >= 95 => "#fe7d37",
            _ => "#e05d44",
        };
        return ("uptime 30d", percent.ToString("0.##", CultureInfo.InvariantCulture) + "%", color);
    }

    internal static (string, string, string) ResponseTime(double? p95)
    {
        if (p95 is not { } ms)
        {
            return ("p95 24h", NoData, "#9f9f9f");
        }
        var color = ms switch
        {
            < 300 => "#4c1",
            < 800 => "#97ca00",
            < 1500 => "#dfb317",
            < 3000 => "#fe7d37",
            _ => "#e05d44",
        };
        return ("p95 24h", Math.Round(ms).ToString("0", CultureInfo.InvariantCulture) + " ms", color);
    }
}
