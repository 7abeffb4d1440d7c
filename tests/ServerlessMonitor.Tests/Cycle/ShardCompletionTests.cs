using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>When a queued cycle is over, on both backends: done and failed shards count alike, and no completion row outlives its cycle.</summary>
[Collection("Azurite")]
public sealed class ShardCompletionTests(AzuriteFixture azurite)
{
    private const string CatalogJson = """{ "services": [ { "id": "svc", "name": "Svc", "endpoints": [ { "id": "web", "url": "http://127.0.0.1:9/" } ] } ] }""";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task CompleteAsync_LastShardFailedEveryAttempt_CycleCompletesAndItsRowsAreDeleted(string backend)
    {
        using var dir = new TempDirectory();
        await using var app = new MonitorAppFactory(CatalogJson, Backends.Settings(backend, azurite, dir.File("c.db"), "sc" + Guid.NewGuid().ToString("N")[..8]));
        var completion = app.Services.GetRequiredService<ShardCompletion>();
        var slot = app.Clock.GetUtcNow();

        Assert.False((await completion.CompleteAsync(Shard(slot, 0), failed: false, default)).Last);
        Assert.False((await completion.CompleteAsync(Shard(slot, 1), failed: false, default)).Last);
        var last = await completion.CompleteAsync(Shard(slot, 2), failed: true, default);

        Assert.Equal(new CycleCompletion(true, 1), last);
        Assert.Empty(await RowsAsync(app));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task SweepAsync_RowLeftByALateRetry_DeletedOnceOlderThanKeepFor(string backend)
    {
        using var dir = new TempDirectory();
        await using var app = new MonitorAppFactory(CatalogJson, Backends.Settings(backend, azurite, dir.File("c.db"), "sc" + Guid.NewGuid().ToString("N")[..8]));
        var completion = app.Services.GetRequiredService<ShardCompletion>();
        var old = app.Clock.GetUtcNow();
        await completion.CompleteAsync(Shard(old, 0, count: 1), failed: false, default);
        // A retry of shard 1 after its cycle (of 2) was completed: nothing will ever complete it.
        await completion.CompleteAsync(Shard(old, 1), failed: false, default);
        var recent = old + ShardCompletion.KeepFor;
        await completion.CompleteAsync(Shard(recent, 1), failed: false, default);

        Assert.Equal(0, await completion.SweepAsync(recent, default));
        Assert.Equal(1, await completion.SweepAsync(recent + TimeSpan.FromSeconds(1), default));

        Assert.Equal([recent.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + "-00001"],
            (await RowsAsync(app)).Select(r => r.RowKey));
    }

    private static ProbeShard Shard(DateTimeOffset slot, int index, int count = 3) => new(slot, index, count, [new ShardEndpoint("svc", "web")]);

    private static async Task<List<TableEntity>> RowsAsync(MonitorAppFactory app)
    {
        var rows = new List<TableEntity>();
        var store = app.Services.GetRequiredService<ITableStore>();
        await foreach (var row in store.QueryAllAsync(app.Services.GetRequiredService<MonitorTables>().Status,
            app.Services.GetRequiredService<ShardCompletion>().Partition, RowKeyRange.All))
        {
            rows.Add(row);
        }
        return rows;
    }
}
