using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Rollups;

public class RetentionTests
{
    private const string Catalog = """{ "services": [ { "id": "svc", "name": "Svc", "endpoints": [ { "id": "web", "url": "http://127.0.0.1:9/" } ] } ] }""";

    [Fact]
    public async Task RetentionTimer_RawEventAndRollupAges_EachKeptForItsOwnRetention()
    {
        using var dir = new TempDirectory();
        await using var app = new MonitorAppFactory(Catalog, new Dictionary<string, string?>
        {
            ["Storage:SqlitePath"] = dir.File("retention.db"),
            ["Monitor:RawRetention"] = "10.00:00:00",
            ["Monitor:EventRetention"] = "20.00:00:00",
            ["Monitor:HourlyRollupRetention"] = "10.00:00:00",
        });
        _ = app.CreateClient();
        var store = new SqliteTableStore(dir.File("retention.db"));
        var now = app.Clock.GetUtcNow();
        var ops = new List<TableOperation>();
        for (var day = 0; day < 30; day++)
        {
            var at = now.AddDays(-day).AddMinutes(-1);
            ops.Add(TableOperation.Insert(Result(at, "local", "up")));
            ops.Add(TableOperation.Insert(Result(at.AddSeconds(-1), "westeurope", "down")));
            // A recovery: up, but it changed the status.
            ops.Add(TableOperation.Insert(Result(at.AddSeconds(-2), "local", "up", changed: true)));
        }
        ops.Add(TableOperation.Insert(Row(MonitorTables.StateKey("local"))));
        ops.Add(TableOperation.Insert(Row(MonitorTables.IncidentKey(now.AddDays(-60)))));
        ops.Add(TableOperation.Insert(Row(RollupKeys.Daily(now.AddDays(-399), "local"))));
        ops.Add(TableOperation.Insert(Row(RollupKeys.Daily(now.AddDays(-401), "local"))));
        ops.Add(TableOperation.Insert(Row(RollupKeys.Hourly(now.AddDays(-11), "local"))));
        ops.Add(TableOperation.Insert(Row(RollupKeys.Hourly(now.AddDays(-9), "local"))));
        await store.SubmitBatchAsync("Endpoints", ops);

        var log = string.Join("\n", await app.FireTimerAsync("RetentionTimer"));
        var remaining = await store.QueryAllAsync("Endpoints", "svc.web", RowKeyRange.All).ToListAsync();
        var results = remaining.Where(r => r.RowKey.StartsWith("result-", StringComparison.Ordinal)).ToList();
        var keys = remaining.Select(r => r.RowKey).ToList();

        // Days 0..9: everything; days 10..19: only the failures and the status changes; older: nothing.
        Assert.Equal(30 + 20, results.Count);
        Assert.All(results, r => Assert.True(MonitorTables.CheckedAtOf(r.RowKey) > now.AddDays(-20)));
        Assert.All(results.Where(r => MonitorTables.CheckedAtOf(r.RowKey) < now.AddDays(-10)), r => Assert.True(StateRows.IsEvent(r)));
        Assert.Contains(MonitorTables.StateKey("local"), keys);
        Assert.Contains(keys, k => k.StartsWith("incident-", StringComparison.Ordinal));
        Assert.Contains(RollupKeys.Daily(now.AddDays(-399), "local"), keys);
        Assert.DoesNotContain(RollupKeys.Daily(now.AddDays(-401), "local"), keys);
        Assert.Contains(RollupKeys.Hourly(now.AddDays(-9), "local"), keys);
        Assert.DoesNotContain(RollupKeys.Hourly(now.AddDays(-11), "local"), keys);
        Assert.Contains("deleted 40 result rows", log);
        Assert.Contains("1 hourly and 1 daily rollups", log);
    }

    [Fact]
    public async Task GetChecks_Defaults_SaysRawAndEventsOnlySpans()
    {
        await using var app = new MonitorAppFactory(Catalog);
        var page = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/services/svc/checks");
        var now = app.Clock.GetUtcNow();
        Assert.Equal(now.AddDays(-7), page.GetProperty("rawFrom").GetDateTimeOffset());
        Assert.Equal(now.AddDays(-400), page.GetProperty("eventsFrom").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("Monitor:RawRetention", "00:10:00", "Monitor:RawRetention must be from")]
    [InlineData("Monitor:EventRetention", "3.00:00:00", "Monitor:EventRetention (3.00:00:00) must not be shorter than Monitor:RawRetention")]
    [InlineData("Monitor:DailyRollupRetention", "90.00:00:00", "Monitor:DailyRollupRetention must be from")]
    public void Validate_BadRetention_FailsNamingTheSetting(string setting, string value, string message)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [setting] = value });
        builder.AddHistory();
        using var host = builder.Build();
        var e = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<RetentionOptions>>().Value);
        Assert.Contains(message, e.Message);
    }

    private static TableEntity Result(DateTimeOffset at, string region, string outcome, bool changed = false) =>
        new("svc.web", MonitorTables.ResultKey(at, region), new Dictionary<string, object?>
        {
            ["Outcome"] = outcome,
            [StateRows.ChangedProperty] = changed ? true : null,
        });

    private static TableEntity Row(string rowKey) => new("svc.web", rowKey, new Dictionary<string, object?> { ["X"] = 1 });
}
