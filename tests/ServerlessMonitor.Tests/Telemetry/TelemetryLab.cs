using OutageLab;

namespace ServerlessMonitor.Tests.Telemetry;

/// <summary>What the telemetry tests probe: one service up on the lab (its URL carries a token), one refused.</summary>
public static class TelemetryLab
{
    /// <summary>A secret in a probed URL's query: it must never reach any exported attribute.</summary>
    public const string UrlToken = "tok-3b9d1c7e";

    public static string Catalog(OutageLabServer lab, string prefix) => $$"""
        { "services": [
            { "id": "{{prefix}}-up", "name": "Up", "endpoints": [
                { "id": "web", "url": "{{lab.Http($"/switch/{prefix}-up?token={UrlToken}")}}", "conditions": ["[STATUS] == 200"] } ] },
            { "id": "{{prefix}}-down", "name": "Down", "endpoints": [
                { "id": "api", "url": "http://127.0.0.1:{{lab.RefusedPort}}/", "failureThreshold": 1 } ] }
        ] }
        """;
}
