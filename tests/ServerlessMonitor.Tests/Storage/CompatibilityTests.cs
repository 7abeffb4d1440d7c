using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OutageLab;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Infra;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>
/// A store written by the wave's base commit (6e1a41b) keeps working after the upgrade (issue 24). The fixtures are a
/// SQLite file and an Azurite data folder (tables prefixed "old") the standalone host of 6e1a41b wrote while probing
/// service "compat" for about a minute: "web" up, "api" refused (failure threshold 1, so an open outage and its Down
/// alert). How they were made: Storage/Fixtures/README.md.
/// </summary>
public sealed class CompatibilityTests : IAsyncLifetime
{
    private static readonly string Fixtures = Path.Combine(CompiledInfra.RepoRoot, "tests", "ServerlessMonitor.Tests", "Storage", "Fixtures");
    private readonly TempDirectory _dir = new();
    private OutageLabServer _lab = null!;

    public async Task InitializeAsync() => _lab = await OutageLabServer.StartAsync(new ManualClock());

    public async Task DisposeAsync()
    {
        await _lab.DisposeAsync();
        _azurite?.Kill(entireProcessTree: true);
        _azurite?.WaitForExit(10_000);
        _azurite?.Dispose();
        _dir.Dispose();
    }

    private System.Diagnostics.Process? _azurite;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task Open_StoreWrittenBy6e1a41b_ReadsItsHistoryAndProbesOn(string backend)
    {
        var settings = backend == "sqlite" ? new Dictionary<string, string?> { ["Storage:SqlitePath"] = CopySqlite() } : await StartOldAzuriteAsync();
        await using var app = new MonitorAppFactory(Catalog(), settings);
        var store = app.Services.GetRequiredService<ITableStore>();
        var tables = app.Services.GetRequiredService<MonitorTables>();
        var web = await store.GetAsync(tables.Endpoints, "compat.web", MonitorTables.StateKey("local"));
        var lastCheck = StateRows.FromEntity(web!).LastCheck!.Value;
        app.Clock.Advance(lastCheck.AddMinutes(1) - app.Clock.GetUtcNow());
        var http = app.CreateClient();
        var from = Uri.EscapeDataString(lastCheck.AddHours(-1).ToString("O"));

        // The old history reads as it was written.
        var checks = await http.GetFromJsonAsync<JsonElement>($"/api/services/compat/checks?endpoint=web&from={from}&limit=1000");
        var oldChecks = checks.GetProperty("checks").EnumerateArray().ToList();
        Assert.True(oldChecks.Count >= 3, $"{oldChecks.Count} checks of web");
        Assert.All(oldChecks, c => Assert.Equal("up", c.GetProperty("outcome").GetString()));
        var incidents = await http.GetFromJsonAsync<JsonElement>($"/api/services/compat/incidents?from={from}");
        var outage = Assert.Single(incidents.GetProperty("incidents").EnumerateArray());
        Assert.Equal("api", outage.GetProperty("endpoint").GetString());
        Assert.Equal(JsonValueKind.Null, outage.GetProperty("end").ValueKind);
        var outboxBefore = await CountAsync(store, tables, "compat.api", "outbox-");
        var hourBefore = await HourlyChecksAsync(store, tables, "compat.web", app.Clock.GetUtcNow());

        // And the new code probes on from it: the same outage stays open, no second Down, the rollups count on.
        await app.FireProbeTimerAsync();
        Assert.Equal(oldChecks.Count + 1, await CountAsync(store, tables, "compat.web", "result-"));
        Assert.Single(await store.QueryAllAsync(tables.Endpoints, "compat.api", RowKeyRange.Prefix("incident-")).ToListAsync());
        Assert.Equal(outboxBefore, await CountAsync(store, tables, "compat.api", "outbox-"));
        Assert.Equal(hourBefore + 1, await HourlyChecksAsync(store, tables, "compat.web", app.Clock.GetUtcNow()));
        // The new check (packed on SQLite) and the old ones read back together through the checks API, newest first.
        var after = await http.GetFromJsonAsync<JsonElement>($"/api/services/compat/checks?endpoint=web&from={from}&limit=1000");
        var afterChecks = after.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(oldChecks.Count + 1, afterChecks.Count);
        Assert.True(afterChecks[0].GetProperty("checkedAt").GetDateTimeOffset() > lastCheck);
        Assert.Equal("up", afterChecks[0].GetProperty("outcome").GetString());
        Assert.Equal(oldChecks.Select(c => c.GetRawText()), afterChecks.Skip(1).Select(c => c.GetRawText()));
        var status = await http.GetFromJsonAsync<JsonElement>("/api/status/compat");
        Assert.Equal("down", status.GetProperty("status").GetString());
    }

    private string CopySqlite()
    {
        var db = _dir.File("old.db");
        File.Copy(Path.Combine(Fixtures, "6e1a41b-monitor.db"), db);
        return db;
    }

    /// <summary>An Azurite of its own on a copy of the fixture's data folder (the shared one keeps its data in memory).</summary>
    private async Task<Dictionary<string, string?>> StartOldAzuriteAsync()
    {
        var location = Path.Combine(_dir.Path, "azurite");
        Directory.CreateDirectory(location);
        File.Copy(Path.Combine(Fixtures, "6e1a41b-azurite", "__azurite_db_table__.json"), Path.Combine(location, "__azurite_db_table__.json"));
        var node = NodeTools.Locate();
        await node.EnsurePackagesAsync();
        var port = AppProcess.FreePort();
        var info = new System.Diagnostics.ProcessStartInfo(node.NodePath) { WorkingDirectory = node.ProjectDirectory, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine("node_modules", "azurite", "dist", "src", "table", "main.js"), "--tableHost", "127.0.0.1",
                     "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", location,
                     "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent" })
        {
            info.ArgumentList.Add(arg);
        }
        _azurite = System.Diagnostics.Process.Start(info)!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var client = new System.Net.Sockets.TcpClient();
            try
            {
                await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                break;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline && !_azurite.HasExited)
            {
                await Task.Delay(100);
            }
        }
        return new Dictionary<string, string?>
        {
            ["Storage:Mode"] = "Tables",
            ["Storage:ConnectionString"] = $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};" +
                $"TableEndpoint=http://127.0.0.1:{port}/{AzuriteFixture.AccountName};",
            ["Storage:TablePrefix"] = "old",
        };
    }

    private static async Task<int> CountAsync(ITableStore store, MonitorTables tables, string partition, string prefix) =>
        (await store.QueryAllAsync(tables.Endpoints, partition, RowKeyRange.Prefix(prefix)).ToListAsync()).Count;

    private static async Task<long> HourlyChecksAsync(ITableStore store, MonitorTables tables, string partition, DateTimeOffset at) =>
        await store.GetAsync(tables.Endpoints, partition, RollupKeys.Hourly(at, "local")) is { } row ? RollupTotals.FromEntity(row).Checks : 0;

    private string Catalog() => $$"""
        { "services": [ { "id": "compat", "name": "Compat", "endpoints": [
            { "id": "web", "url": "{{_lab.Http("/healthy")}}", "interval": "00:00:05", "timeout": "00:00:02" },
            { "id": "api", "url": "http://127.0.0.1:9/", "interval": "00:00:05", "timeout": "00:00:02", "failureThreshold": 1 } ] } ] }
        """;
}
