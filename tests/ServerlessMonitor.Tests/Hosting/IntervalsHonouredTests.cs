using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Hosting;

/// <summary>
/// An endpoint whose interval is shorter than the probe schedule's period: the Functions host reports it at load with
/// its JSON path and shows its effective interval; the standalone host honours it by ticking as often as it needs.
/// </summary>
public class IntervalsHonouredTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task CatalogLoad_FunctionsHost20sIntervalUnder30sSchedule_WarnedWithPathAndShownAs30s()
    {
        await using var app = new MonitorAppFactory(Catalog("iv-func", "00:00:20"), host: MonitorHost.Functions);
        await app.NextCycleAsync();

        var endpoint = await EndpointAsync(app.CreateClient(), "iv-func");

        Assert.Equal("00:00:20", endpoint.GetProperty("interval").GetString());
        Assert.Equal("00:00:30", endpoint.GetProperty("effectiveInterval").GetString());
        var warning = Assert.Single(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(".interval:"));
        Assert.Contains("services[0].endpoints[1].interval: 00:00:20 is shorter than the probe period", warning.Message);
        Assert.Contains("it is probed every 00:00:30", warning.Message);
    }

    [Fact]
    public async Task CatalogLoad_Standalone20sInterval_HonouredNoWarningShownAs20s()
    {
        await using var app = new MonitorAppFactory(Catalog("iv-alone", "00:00:20"));
        await app.NextCycleAsync();

        var endpoint = await EndpointAsync(app.CreateClient(), "iv-alone");

        Assert.Equal("00:00:20", endpoint.GetProperty("effectiveInterval").GetString());
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(".interval:"));
    }

    /// <summary>The real standalone process on its default 30-s schedule probes a 10-s endpoint every 10 s, not every 30 s.</summary>
    [Fact]
    public async Task StandaloneProcess_10sIntervalUnder30sSchedule_ChecksLessThan25sApart()
    {
        using var dir = new TempDirectory();
        var port = AppProcess.FreePort();
        await using var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Monitor__Catalog"] = dir.Write("monitors.json", Catalog("iv-proc", "00:00:10")),
            ["Monitor__ProbeSchedule"] = "*/30 * * * * *",
            ["Storage__SqlitePath"] = dir.File("iv.db"),
        });
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        await app.WaitUntilHealthyAsync(baseUri, TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = baseUri };
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        List<DateTimeOffset> checks;
        do
        {
            await Task.Delay(1000, cts.Token);
            var page = await http.GetFromJsonAsync<JsonElement>("/api/services/iv-proc/checks?endpoint=fast", cts.Token);
            checks = page.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("checkedAt").GetDateTimeOffset()).Order().ToList();
        }
        while (checks.Count < 4);

        var gaps = checks.Zip(checks.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, gap => Assert.True(gap < TimeSpan.FromSeconds(25), $"checks {gap.TotalSeconds:0.0} s apart: {string.Join(", ", gaps)}"));
        Assert.Contains("ticking every 00:00:10", app.Output);
    }

    private string Catalog(string service, string interval) => $$"""
        { "services": [ { "id": "{{service}}", "name": "Intervals {{service}}", "endpoints": [
            { "id": "web", "url": "{{fixture.Lab.Http("/healthy")}}", "interval": "00:01:00", "timeout": "00:00:05" },
            { "id": "fast", "url": "{{fixture.Lab.Http("/healthy")}}", "interval": "{{interval}}", "timeout": "00:00:05" } ] } ] }
        """;

    private static async Task<JsonElement> EndpointAsync(HttpClient client, string service)
    {
        var status = await client.GetFromJsonAsync<JsonElement>($"/api/status/{service}");
        return status.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("id").GetString() == "fast");
    }
}
