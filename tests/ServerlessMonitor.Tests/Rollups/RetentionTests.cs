using System.Net.Http.Json;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Rollups;

public class RetentionTests
{
    [Fact]
    public async Task RetentionTimer_OldResultsAndHourlyRollups_DeletedWhileStateAndOtherRowsStay()
    {
        using var dir = new TempDirectory();
        var catalog = """{ "services": [ { "id": "svc", "name": "Svc", "endpoints": [ { "id": "web", "url": "http://127.0.0.1:9/" } ] } ] }""";
        await using var app = new MonitorAppFactory(catalog, new Dictionary<string, string?>
        {
            ["Storage:SqlitePath"] = dir.File("retention.db"),
            ["Monitor:RetentionDays"] = "10",
        });
        _ = app.CreateClient();
        var store = new SqliteTableStore(dir.File("retention.db"));
        var now = app.Clock.GetUtcNow();
        var ops = new List<TableOperation>();
        for (var day = 0; day < 30; day++)
        {
            ops.Add(TableOperation.Insert(Row(MonitorTables.ResultKey(now.AddDays(-day).AddMinutes(-1), "local"))));
            ops.Add(TableOperation.Insert(Row(MonitorTables.ResultKey(now.AddDays(-day).AddMinutes(-1), "westeurope"))));
        }
        ops.Add(TableOperation.Insert(Row(MonitorTables.StateKey("local"))));
        ops.Add(TableOperation.Insert(Row(MonitorTables.IncidentKey(now.AddDays(-60)))));
        ops.Add(TableOperation.Insert(Row("rollup-d-20260101-local")));
        ops.Add(TableOperation.Insert(Row(RollupKeys.Hourly(now.AddDays(-11), "local"))));
        ops.Add(TableOperation.Insert(Row(RollupKeys.Hourly(now.AddDays(-9), "local"))));
        await store.SubmitBatchAsync("Endpoints", ops);

        var log = string.Join("\n", await app.FireTimerAsync("RetentionTimer"));
        var remaining = await store.QueryAllAsync("Endpoints", "svc.web", RowKeyRange.All).Select(e => e.RowKey).ToListAsync();

        // Days 0..9 are inside the 10-day window (each checked a minute before the day mark).
        Assert.Equal(20, remaining.Count(k => k.StartsWith("result-", StringComparison.Ordinal)));
        Assert.All(remaining.Where(k => k.StartsWith("result-", StringComparison.Ordinal)),
            k => Assert.True(MonitorTables.CheckedAtOf(k) > now.AddDays(-10)));
        Assert.Contains(MonitorTables.StateKey("local"), remaining);
        Assert.Contains(remaining, k => k.StartsWith("incident-", StringComparison.Ordinal));
        Assert.Contains("rollup-d-20260101-local", remaining);
        Assert.Contains(RollupKeys.Hourly(now.AddDays(-9), "local"), remaining);
        Assert.DoesNotContain(RollupKeys.Hourly(now.AddDays(-11), "local"), remaining);
        Assert.Contains("deleted 40 result rows", log);
        Assert.Contains("and 1 hourly rollups", log);
    }

    private static TableEntity Row(string rowKey) => new("svc.web", rowKey, new Dictionary<string, object?> { ["X"] = 1 });
}
