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
/// A store written by the wave's base commit (6e1a41b) keeps working after the upgrade (issue 24). The fixture is a
/// SQLite file the standalone host of 6e1a41b wrote while probing service "compat" for about a minute: "web" up,
/// "api" refused (failure threshold 1, so an open outage and its Down alert). How it was made:
/// Storage/Fixtures/README.md.
/// </summary>
public sealed class CompatibilityTests : IAsyncLifetime
{
    private static readonly string Fixture = Path.Combine(CompiledInfra.RepoRoot, "tests", "ServerlessMonitor.Tests", "Storage", "Fixtures", "6e1a41b-monitor.db");
    private readonly TempDirectory _dir = new();
    private OutageLabServer _lab = null!;

    public async Task InitializeAsync() => _lab = await OutageLabServer.StartAsync(new ManualClock());

    public async Task DisposeAsync()
    {
        await _lab.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Open_SqliteFileOf6e1a41b_ReadsItsHistoryAndProbesOn()
    {
        var db = _dir.File("old.db");
        File.Copy(Fixture, db);
        await using var app = new MonitorAppFactory(Catalog(), new Dictionary<string, string?> { ["Storage:SqlitePath"] = db });
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
        var status = await http.GetFromJsonAsync<JsonElement>("/api/status/compat");
        Assert.Equal("down", status.GetProperty("status").GetString());
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
