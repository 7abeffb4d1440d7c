using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.SelfCheck;
using ServerlessMonitor.Status;

namespace ServerlessMonitor.Web;

/// <summary>
/// The success examples of the main reads, by route name: sample answers built from the real DTOs and written by
/// <see cref="ApiJsonContext"/>, as the API writes them, so an example cannot drift from its type. A route's own
/// <see cref="Api.ApiRoute.Example"/> wins (small answers of other features declare theirs as JSON).
/// </summary>
internal static class OpenApiExamples
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 14, 5, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DownSince = Now.AddMinutes(-12);

    public static JsonNode? For(string routeName) => routeName switch
    {
        "Health" => Write(new HealthDto("ok", "westeurope", "standalone-1", "standalone", "1.0.0.0"), ApiJsonContext.Default.HealthDto),
        "GetStatus" => Write(new StatusOverviewDto("westeurope", Now, HealthStatus.Down, [Service() with { Endpoints = [Endpoint()] }]),
            ApiJsonContext.Default.StatusOverviewDto),
        "GetServiceStatus" => Write(Service() with
        {
            Regions = [new RegionStatusDto("api", "westeurope", HealthStatus.Down, DownSince, Now)],
            Monitor = MonitorStatusDto.Online,
        }, ApiJsonContext.Default.ServiceStatusDto),
        "GetIncidents" => Write(new IncidentListDto("shop", Now.AddDays(-7), Now, [Incident()]), ApiJsonContext.Default.IncidentListDto),
        "GetChecks" => Write(new CheckPageDto("shop", "api", [Check()], null), ApiJsonContext.Default.CheckPageDto),
        "GetUptime" => Write(Uptime(), ApiJsonContext.Default.UptimeHistoryDto),
        "Compare" => Write(new CompareDto(365, Now.AddDays(-365), Now,
            [new CompareRowDto("shop", "Shop", "commerce", 0.9991, 7.9, 182, 640, 3, 104_112, 17) { MeasuredSeconds = 31_536_000 }]),
            ApiJsonContext.Default.CompareDto),
        _ => null,
    };

    private static JsonNode Write<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonNode.Parse(JsonSerializer.Serialize(value, type))!;

    private static IncidentSummaryDto Summary() =>
        new("shop~api~20261121T135300Z", "outage", "Server error", "HTTP 503 from every region", "12 of 12 checks failed in 2 regions");

    private static EndpointStatusDto Endpoint() => new("api", "http", "https://shop.example.com/health", HealthStatus.Down, DownSince, Now, 184, 503,
        "HTTP 503", "http_status", Now.AddDays(60), ["westeurope", "eastus"], ["westeurope", "eastus"], Summary());

    private static ServiceStatusDto Service() => new("shop", "Shop", "commerce", HealthStatus.Down, DownSince, Now, ["westeurope", "eastus"],
        Summary(), [Endpoint()])
    {
        Figures = new ServiceFiguresDto(new UptimeDto(0.9917, 0.9988, 0.9995) { H24MeasuredSeconds = 86_400, D7MeasuredSeconds = 604_800, D30MeasuredSeconds = 2_592_000 },
            new ResponseTimeDto(142, 610, 1_180, 201.5) { MeasuredSeconds = 86_400 }),
    };

    private static IncidentDto Incident() => new("shop~api~20261121T135300Z", "shop", "api", "outage", "Server error", "HTTP 503 from every region",
        "12 of 12 checks failed in 2 regions", DownSince, null, true, 720, ["westeurope", "eastus"], 12, 12, 1, "HTTP 503", "HTTP 503",
        [new IncidentNote(Now.AddMinutes(-5), "investigating", "We are looking into it.")]);

    private static CheckDto Check() => new(Now, "api", "westeurope", "down", 503, 184, 3, 11, 24, 180, "203.0.113.10", "HTTP 503", "http_status",
        "[STATUS] == 200 failed");

    private static UptimeHistoryDto Uptime()
    {
        UptimeDayDto[] days = [new(new DateOnly(2026, 11, 20), 1, 1_440, 0, 0), new(new DateOnly(2026, 11, 21), 0.9917, 852, 12, 0)];
        return new("shop", 2, 0.9958, days, [new EndpointUptimeDto("api", 0.9958, days)]);
    }
}
