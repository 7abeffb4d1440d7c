using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OutageLab;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>
/// A cycle fanned out over Azurite's Storage queue as the Functions app runs it: ProbeTimer plans and queues
/// shards; the test plays the Functions host (receive, invoke ProbeShard, delete on success, let a failed message
/// become visible again, move it to the poison queue after its last attempt) with two app instances on one
/// Table Storage account, as the platform's scale-out would.
/// </summary>
[Collection("Azurite")]
public sealed class ShardedCycleTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int Services = 25;
    private OutageLabServer _lab = null!;
    private QueueClient _queue = null!;
    private QueueClient _poison = null!;

    public async Task InitializeAsync()
    {
        _lab = await OutageLabServer.StartAsync(new ManualClock());
        _queue = Queue(StorageShardQueue.Name);
        _poison = Queue(StorageShardQueue.PoisonName);
        foreach (var q in new[] { _queue, _poison })
        {
            await q.CreateIfNotExistsAsync();
            await q.ClearMessagesAsync();
        }
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task ShardedCycle_OneShardFailsPartwayAndIsRetriedOnAnotherInstance_EveryEndpointRecordedExactlyOnce()
    {
        var settings = Settings();
        var failing = new FailOnce("svc07.web");
        await using var planner = App(settings, failing);
        await using var other = App(settings);

        var lines = await planner.FireProbeTimerAsync();
        var slot = planner.Clock.GetUtcNow();

        Assert.Contains(lines, l => l.Contains("queued as 3 shards", StringComparison.Ordinal));
        Assert.Empty(await ResultRowsAsync(planner, "svc00.web"));
        var runs = await RunQueueAsync(planner, other);
        Assert.Equal(4, runs.Count);
        Assert.Single(runs, r => r.Failed);
        Assert.True(failing.Failed);
        var retried = runs.Single(r => r.DequeueCount == 2);
        Assert.Equal(runs.Single(r => r.Failed).MessageId, retried.MessageId);
        Assert.Same(other, retried.Instance);
        for (var i = 0; i < Services; i++)
        {
            var partition = $"svc{i:D2}.web";
            var rows = await ResultRowsAsync(planner, partition);
            Assert.Equal([slot], rows.Select(r => MonitorTables.CheckedAtOf(r.RowKey)));
            // The hourly rollup counts every recorded probe: a second recording of the slot would make it 2.
            var hourly = await Store(planner).GetAsync(Tables(planner).Endpoints, partition, RollupKeys.Hourly(slot, "local"));
            Assert.Equal(1, hourly!.GetInt64("Up"));
        }
        // The last shard completed the cycle: the read model now has every endpoint.
        var overview = await other.CreateClient().GetFromJsonAsync<JsonElement>("/api/status");
        Assert.Equal(Services, overview.GetProperty("services").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "up"));
        Assert.Equal(0, (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Empty(await CompletionRowsAsync(planner));
    }

    [Fact]
    public async Task ShardFailingEveryAttempt_GoesToThePoisonQueue_ItsEndpointsSayTheyWereNotProbed()
    {
        var settings = Settings();
        await using var app = App(settings, new FailAlways("svc03.web"));

        await app.FireProbeTimerAsync();
        var runs = await RunQueueAsync(app);
        var poisoned = await _poison.ReceiveMessageAsync();
        Assert.NotNull(poisoned.Value);
        var line = await app.Services.GetRequiredService<ProbeShardFunction>().PoisonAsync(poisoned.Value.Body.ToString(), CancellationToken.None);

        Assert.Equal(MaxDequeueCount, runs.Count(r => r.Failed));
        // The failed shard's slot is over: the cycle completed, so the snapshot has the other shards' endpoints, and its rows are gone.
        Assert.Contains("cycle complete (1 shard(s) failed every attempt)", line, StringComparison.Ordinal);
        var overview = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/status");
        Assert.Equal(Services - 1, overview.GetProperty("services").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "up"));
        Assert.Empty(await CompletionRowsAsync(app));
        var status = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/status/svc03");
        var problem = status.GetProperty("endpoints")[0].GetProperty("probeProblem").GetString();
        Assert.Contains("probe shard failed every attempt", problem, StringComparison.Ordinal);
        Assert.Contains(StorageShardQueue.PoisonName, problem, StringComparison.Ordinal);
        // Endpoints of the other shards were recorded and carry no such mark.
        var healthy = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/status/svc20");
        Assert.True(!healthy.GetProperty("endpoints")[0].TryGetProperty("probeProblem", out var none) || none.ValueKind == JsonValueKind.Null);
    }

    // host.json's queues.maxDequeueCount.
    private const int MaxDequeueCount = 5;

    private Dictionary<string, string?> Settings()
    {
        using var dir = new TempDirectory();
        var settings = Backends.Settings("tables", azurite, dir.File("unused.db"), "sq" + Guid.NewGuid().ToString("N")[..8]);
        settings["Monitor:ShardSize"] = "10";
        settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        return settings;
    }

    private MonitorAppFactory App(Dictionary<string, string?> settings, ITableStoreFault? fault = null) =>
        new(Catalog(), settings)
        {
            ConfigureServices = services =>
            {
                // As the Functions host's wiring does when AzureWebJobsStorage names an account.
                services.AddSingleton<IShardQueue>(new StorageShardQueue(StorageShardQueue.FromConfiguration(
                    new ConfigurationBuilder().AddInMemoryCollection(settings).Build())!));
                if (fault is not null)
                {
                    var original = services.Last(d => d.ServiceType == typeof(ITableStore));
                    services.Replace(ServiceDescriptor.Singleton<ITableStore>(sp =>
                        new FaultyStore((ITableStore)original.ImplementationFactory!(sp), fault)));
                }
            },
        };

    /// <summary>25 services of one endpoint each: with ShardSize 10, three shards of 10, 10 and 5.</summary>
    private string Catalog() => $$"""
        { "services": [ {{string.Join(",", Enumerable.Range(0, Services).Select(i => $$"""
            { "id": "svc{{i:D2}}", "name": "Service {{i}}", "endpoints": [
                { "id": "web", "url": "{{_lab.Http($"/healthy?e={i}")}}", "interval": "00:01:00", "timeout": "00:00:05" } ] }
            """))}} ] }
        """;

    private QueueClient Queue(string name) =>
        new(azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    private sealed record Run(string MessageId, long DequeueCount, MonitorAppFactory Instance, bool Failed);

    /// <summary>
    /// The Functions host's part: take messages off the queue, invoke ProbeShard on an instance,
    /// delete on success; on failure leave the message to reappear after its visibility timeout, and after the
    /// last attempt move it to the poison queue.
    /// </summary>
    private async Task<List<Run>> RunQueueAsync(params MonitorAppFactory[] instances)
    {
        var runs = new List<Run>();
        var idle = 0;
        while (idle < 3)
        {
            var received = (await _queue.ReceiveMessagesAsync(maxMessages: 4, visibilityTimeout: TimeSpan.FromSeconds(1))).Value;
            if (received.Length == 0)
            {
                idle++;
                await Task.Delay(700);
                continue;
            }
            idle = 0;
            foreach (var message in received)
            {
                // First attempts land on the first instance, each retry on the next one (as after a scale-out).
                var instance = instances[(int)(message.DequeueCount - 1) % instances.Length];
                try
                {
                    await instance.Services.GetRequiredService<ProbeShardFunction>().RunAsync(message.Body.ToString(), CancellationToken.None);
                    await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                    runs.Add(new Run(message.MessageId, message.DequeueCount, instance, Failed: false));
                }
                catch (TableStoreException)
                {
                    runs.Add(new Run(message.MessageId, message.DequeueCount, instance, Failed: true));
                    if (message.DequeueCount >= MaxDequeueCount)
                    {
                        await _poison.SendMessageAsync(message.Body);
                        await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                    }
                }
            }
        }
        return runs;
    }

    private static async Task<List<TableEntity>> CompletionRowsAsync(MonitorAppFactory app)
    {
        var rows = new List<TableEntity>();
        var partition = app.Services.GetRequiredService<ShardCompletion>().Partition;
        await foreach (var row in Store(app).QueryAllAsync(Tables(app).Status, partition, RowKeyRange.All))
        {
            rows.Add(row);
        }
        return rows;
    }

    private static ITableStore Store(MonitorAppFactory app) => app.Services.GetRequiredService<ITableStore>();

    private static MonitorTables Tables(MonitorAppFactory app) => app.Services.GetRequiredService<MonitorTables>();

    private static async Task<List<TableEntity>> ResultRowsAsync(MonitorAppFactory app, string partition)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in Store(app).QueryAllAsync(Tables(app).Endpoints, partition, RowKeyRange.Prefix("result-")))
        {
            rows.Add(row);
        }
        return rows;
    }

    private interface ITableStoreFault
    {
        bool ShouldFail(string table, IReadOnlyList<TableOperation> operations);
    }

    /// <summary>Fails the first write of one endpoint's partition, like a storage hiccup in the middle of a shard.</summary>
    private sealed class FailOnce(string partition) : ITableStoreFault
    {
        private int _failed;

        public bool Failed => _failed == 1;

        public bool ShouldFail(string table, IReadOnlyList<TableOperation> operations) =>
            operations[0].Entity.PartitionKey == partition && Interlocked.CompareExchange(ref _failed, 1, 0) == 0;
    }

    private sealed class FailAlways(string partition) : ITableStoreFault
    {
        public bool ShouldFail(string table, IReadOnlyList<TableOperation> operations) => operations[0].Entity.PartitionKey == partition;
    }

    private sealed class FaultyStore(ITableStore inner, ITableStoreFault fault) : DelegatingTableStore(inner)
    {
        public override Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default) =>
            fault.ShouldFail(table, operations)
                ? throw new TableStoreException(TableErrorKind.Unavailable, "injected: storage unavailable")
                : Inner.SubmitBatchAsync(table, operations, ct);
    }
}
