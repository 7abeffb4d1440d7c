using System.Net;
using System.Text.RegularExpressions;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Telemetry;

/// <summary>Standalone's /metrics (Telemetry:Prometheus) as Prometheus itself scrapes it.</summary>
public sealed class PrometheusScrapeTests(OutageLabFixture lab) : IClassFixture<OutageLabFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Scrape_PrometheusPortSet_PrometheusHasTheProbeDurationHistogramAndTheEndpointStatusSeries()
    {
        const string prefix = "prom";
        using var dir = new TempDirectory();
        var appPort = AppProcess.FreePort();
        var metricsPort = AppProcess.FreePort();
        await using var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["Telemetry__Prometheus"] = "true",
            ["Telemetry__PrometheusPort"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Monitor__Catalog"] = dir.Write("monitors.json", TelemetryLab.Catalog(lab.Lab, prefix)),
            ["Monitor__ConfirmationDelay"] = "00:00:00",
            ["Storage__SqlitePath"] = dir.File("m.db"),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{appPort}",
        });
        await app.WaitUntilHealthyAsync(new Uri($"http://127.0.0.1:{appPort}"), Wait);
        await using var prometheus = PrometheusServer.Start($"127.0.0.1:{metricsPort}");

        var buckets = await prometheus.QueryUntilFoundAsync($"serverlessmonitor_probe_duration_seconds_bucket{{serverlessmonitor_service=\"{prefix}-up\"}}", Wait);
        var status = await prometheus.QueryUntilFoundAsync($"serverlessmonitor_endpoint_status{{serverlessmonitor_service=\"{prefix}-down\"}} == 1", Wait);

        Assert.Contains(buckets, b => b["le"] == "+Inf" && b["serverlessmonitor_outcome"] == "up" && b["serverlessmonitor_region"] == "local");
        Assert.Contains(status, s => s["serverlessmonitor_status"] == "down");
        // The scrape port is not the app's: the public port does not serve /metrics without the admin key.
        using var http = new HttpClient();
        Assert.NotEqual(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{appPort}/metrics")).StatusCode);
        // Every series the Grafana dashboard in docs/ queries is served (the skipped-cycle counter exists once a tick was skipped).
        var served = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
        var missing = DashboardMetrics().Where(m => m != "serverlessmonitor_cycle_skipped_total" && !served.Contains(m + "{", StringComparison.Ordinal)
            && !served.Contains(m + " ", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"docs/grafana-dashboard.json queries {string.Join(", ", missing)}, which /metrics does not serve:\n{served}");
    }

    private static IEnumerable<string> DashboardMetrics()
    {
        var dashboard = File.ReadAllText(Path.Combine(Hosting.PublishedFunctionsApp.RepoRoot, "docs", "grafana-dashboard.json"));
        return Regex.Matches(dashboard, "serverlessmonitor_[a-z_]+(?=[{\\[])").Select(m => m.Value).Where(m => !m.StartsWith("serverlessmonitor_service", StringComparison.Ordinal)
            && !m.StartsWith("serverlessmonitor_status", StringComparison.Ordinal) && !m.StartsWith("serverlessmonitor_outcome", StringComparison.Ordinal)).Distinct();
    }

    [Fact]
    public async Task Metrics_NoPrometheusPort_OnlyWithTheAdminKey()
    {
        const string key = "admin-key-for-metrics-0123";
        using var dir = new TempDirectory();
        var appPort = AppProcess.FreePort();
        await using var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["Telemetry__Prometheus"] = "true",
            ["Admin__Key"] = key,
            ["Monitor__Catalog"] = dir.Write("monitors.json", TelemetryLab.Catalog(lab.Lab, "prom-key")),
            ["Storage__SqlitePath"] = dir.File("m.db"),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{appPort}",
        });
        var baseUri = new Uri($"http://127.0.0.1:{appPort}");
        await app.WaitUntilHealthyAsync(baseUri, Wait);
        using var http = new HttpClient { BaseAddress = baseUri };

        var without = await http.GetAsync("/metrics");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "X-Admin-Key", key } } };
        var with = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        Assert.Contains("serverlessmonitor_", await with.Content.ReadAsStringAsync());
        Assert.DoesNotContain(key, app.Output);
    }
}
