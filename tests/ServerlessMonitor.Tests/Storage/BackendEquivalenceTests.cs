using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OutageLab;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>The same lab scenario on SQLite and on Azure Tables (Azurite) must give the same answers.</summary>
[Collection("Azurite")]
public class BackendEquivalenceTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Status_SameLabScenario_SameAnswersOnSqliteAndTables()
    {
        await using var lab = await OutageLabServer.StartAsync(new ManualClock());
        var sqlite = await RunScenarioAsync(lab, "eq-sqlite", new Dictionary<string, string?>());
        var tables = await RunScenarioAsync(lab, "eq-tables", new Dictionary<string, string?>
        {
            ["Storage:Mode"] = "Tables",
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = "eq" + Guid.NewGuid().ToString("N")[..8],
        });

        Assert.Equal(sqlite.Count, tables.Count);
        for (var i = 0; i < sqlite.Count; i++)
        {
            Assert.Equal(sqlite[i], tables[i]);
        }
        Assert.Contains("\"down\"", sqlite[3]);
        Assert.Contains("\"up\"", sqlite[6]);
        Assert.Contains("\"kind\":\"outage\"", sqlite[7]);
        Assert.Equal("reports 1", sqlite[^1]);
    }

    /// <summary>Runs up → stopped → restarted and returns /api/status after each cycle, minus measured timings (uptime stays).</summary>
    private static async Task<List<string>> RunScenarioAsync(OutageLabServer lab, string switchName, Dictionary<string, string?> settings)
    {
        // Same service id and name on both runs; only the lab switch behind it differs.
        var catalog = LabCatalog.Switches(lab, switchName)
            .Replace($"\"id\": \"{switchName}\"", "\"id\": \"svc\"")
            .Replace($"Lab {switchName}", "Lab");
        await using var app = new MonitorAppFactory(catalog, settings);
        var snapshots = new List<string>();
        for (var cycle = 0; cycle < 7; cycle++)
        {
            if (cycle == 1)
            {
                lab.Switches.Down(switchName);
            }
            if (cycle == 4)
            {
                lab.Switches.Up(switchName);
            }
            await app.NextCycleAsync();
            var status = JsonNode.Parse(await app.CreateClient().GetStringAsync("/api/status"))!;
            snapshots.Add(Normalise(status));
        }
        // Then every other public read, after a user report: the history the scenario left behind.
        var client = app.CreateClient();
        (await client.PostAsJsonAsync("/api/services/svc/reports", new { kind = "login" })).EnsureSuccessStatusCode();
        foreach (var route in new[] { "/api/services/svc/incidents", "/api/services/svc/uptime?days=7", "/api/compare?days=30", "/api/feed.atom", "/api/badges/svc/status.svg", "/api/badges/svc/uptime.svg" })
        {
            using var response = await client.GetAsync(route);
            Assert.True(response.IsSuccessStatusCode, $"{route}: {(int)response.StatusCode}");
            snapshots.Add(route + " " + WithoutTimings(await response.Content.ReadAsStringAsync()));
        }
        var reports = JsonNode.Parse(await client.GetStringAsync("/api/services/svc/reports?hours=1"))!;
        snapshots.Add("reports " + reports["current"]!["reports"]!.ToJsonString());
        return snapshots;
    }

    /// <summary>Response times are measured, so they differ between runs; everything else must not.</summary>
    private static string WithoutTimings(string body) =>
        System.Text.RegularExpressions.Regex.Replace(body, "\"(p50Ms|p95Ms)\":[0-9.]+", "\"$1\":0");

    private static string Normalise(JsonNode status)
    {
        foreach (var service in status["services"]!.AsArray())
        {
            service!["figures"]!.AsObject().Remove("responseTime");
            foreach (var endpoint in service!["endpoints"]!.AsArray())
            {
                endpoint!.AsObject().Remove("responseTimeMs");
                endpoint.AsObject()["target"] = "lab";
            }
        }
        return status.ToJsonString();
    }
}
