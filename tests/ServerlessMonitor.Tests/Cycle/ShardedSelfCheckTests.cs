using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OutageLab;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.SelfCheck;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.SelfCheck;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>
/// The self-check of a cycle fanned out on Azurite's probe-shards queue judges the location, once per cycle,
/// never a shard on its own (docs/SELFCHECK.md, "Where it runs in a cycle").
/// </summary>
[Collection("Azurite")]
public sealed class ShardedSelfCheckTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private QueueClient _queue = null!;

    public async Task InitializeAsync()
    {
        _queue = new QueueClient(azurite.ConnectionString, StorageShardQueue.Name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await _queue.CreateIfNotExistsAsync();
        await _queue.ClearMessagesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ShardedCycle_LocationOffline_ThreeShards_OneOfflineEventNoDown()
    {
        // 21 services, ShardSize 10: shards of 10, 10 and 1 — the last one alone has fewer than SelfCheckMinServices services.
        await using var internet = await UnpluggableLab.StartAsync();
        await internet.UnplugAsync();
        var settings = Settings();
        await using var app = App(Catalog(21, _ => internet.Http("/healthy")), settings);

        for (var cycle = 0; cycle < 2; cycle++)
        {
            await app.FireProbeTimerAsync();
            // The small shard first, then the others side by side: no order may count a failure.
            await RunQueuedAsync(app, smallestFirst: true);
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Single(await MonitorEventsAsync(app, AlertTypes.MonitorOffline));
        Assert.Empty(await MonitorEventsAsync(app, AlertTypes.MonitorOnline));
        for (var i = 0; i < 21; i++)
        {
            Assert.Empty(await RowsAsync(app, $"svc{i:D2}.web", "result-"));
            Assert.DoesNotContain(await RowsAsync(app, $"svc{i:D2}.web", OutboxRows.KeyPrefix), r => r.GetString(OutboxRows.TypeProperty) == AlertTypes.EndpointDown);
        }
        var location = await app.Services.GetRequiredService<LocationReader>().ReadAllAsync(CancellationToken.None);
        Assert.True(location["local"].Offline);
    }

    [Fact]
    public async Task ShardsRunConcurrently_SomeCutOffSomeAnswering_NoShardJudgesTheLocation_EveryEndpointRecorded()
    {
        // The race of judging per shard: two shards whose services all fail at network level and one that answers,
        // run side by side, used to produce Offline (and then Online) events within one cycle and drop the failures.
        await using var lab = await OutageLabServer.StartAsync(new ManualClock());
        await using var dead = await UnpluggableLab.StartAsync();
        await dead.UnplugAsync();
        await using var app = App(Catalog(25, i => i < 20 ? dead.Http("/healthy") : lab.Http("/healthy")), Settings());
        var slot = app.Clock.GetUtcNow();
        var shards = Enumerable.Range(0, 3).Select(s => new ProbeShard(slot, s, 3,
            Enumerable.Range(s * 10, s == 2 ? 5 : 10).Select(i => new ShardEndpoint($"svc{i:D2}", "web")).ToList())).ToList();

        var function = app.Services.GetRequiredService<ProbeShardFunction>();
        await Task.WhenAll(shards.Select(s => Task.Run(() => function.RunAsync(s.ToJson(), CancellationToken.None))));

        Assert.Empty(await MonitorEventsAsync(app, AlertTypes.MonitorOffline));
        Assert.Empty(await MonitorEventsAsync(app, AlertTypes.MonitorOnline));
        for (var i = 0; i < 25; i++)
        {
            Assert.Single(await RowsAsync(app, $"svc{i:D2}.web", "result-"));
        }
    }

    private Dictionary<string, string?> Settings()
    {
        using var dir = new TempDirectory();
        var settings = Backends.Settings("tables", azurite, dir.File("unused.db"), "sc" + Guid.NewGuid().ToString("N")[..8]);
        settings["Monitor:ShardSize"] = "10";
        settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        return settings;
    }

    private static MonitorAppFactory App(string catalog, Dictionary<string, string?> settings) =>
        new(catalog, settings)
        {
            ConfigureServices = services => services.AddSingleton<IShardQueue>(new StorageShardQueue(StorageShardQueue.FromConfiguration(
                new ConfigurationBuilder().AddInMemoryCollection(settings).Build())!)),
        };

    private static string Catalog(int services, Func<int, Uri> url) => $$"""
        { "services": [ {{string.Join(",", Enumerable.Range(0, services).Select(i => $$"""
            { "id": "svc{{i:D2}}", "name": "Service {{i}}", "endpoints": [
                { "id": "web", "url": "{{url(i)}}", "interval": "00:01:00", "timeout": "00:00:05" } ] }
            """))}} ] }
        """;

    /// <summary>The Functions host's part, reordered: the smallest shard alone first, then the rest concurrently.</summary>
    private async Task RunQueuedAsync(MonitorAppFactory app, bool smallestFirst)
    {
        var messages = (await _queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: TimeSpan.FromMinutes(5))).Value
            .OrderBy(m => smallestFirst ? ProbeShard.FromJson(m.Body.ToString()).Endpoints.Count : 0).ToList();
        var function = app.Services.GetRequiredService<ProbeShardFunction>();
        if (messages.Count > 0)
        {
            await function.RunAsync(messages[0].Body.ToString(), CancellationToken.None);
        }
        await Task.WhenAll(messages.Skip(1).Select(m => Task.Run(() => function.RunAsync(m.Body.ToString(), CancellationToken.None))));
        foreach (var m in messages)
        {
            await _queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
        }
    }

    private static async Task<List<TableEntity>> MonitorEventsAsync(MonitorAppFactory app, string type) =>
        (await RowsAsync(app, MonitorTables.MonitorPartition, OutboxRows.KeyPrefix)).Where(r => r.GetString(OutboxRows.TypeProperty) == type).ToList();

    private static async Task<List<TableEntity>> RowsAsync(MonitorAppFactory app, string partition, string prefix)
    {
        var rows = new List<TableEntity>();
        var tables = app.Services.GetRequiredService<MonitorTables>();
        await foreach (var row in app.Services.GetRequiredService<ITableStore>().QueryAllAsync(tables.Endpoints, partition, RowKeyRange.Prefix(prefix)))
        {
            rows.Add(row);
        }
        return rows;
    }
}
