using System.Text;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OutageLab;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>
/// Each queued shard's completion row carries what its probes wrote (ShardSummary); the shard that completes the cycle
/// learns the others' from the rows it reads anyway, and its snapshot build reads no endpoint's current hour or today.
/// </summary>
[Collection("Azurite")]
public sealed class ShardSummaryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const int Services = 25;
    private OutageLabServer _lab = null!;
    private QueueClient _queue = null!;

    public async Task InitializeAsync()
    {
        _lab = await OutageLabServer.StartAsync(new ManualClock());
        _queue = new QueueClient(azurite.ConnectionString, StorageShardQueue.Name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await _queue.CreateIfNotExistsAsync();
        await _queue.ClearMessagesAsync();
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public void Properties_ThenRead_SameEndpointsBack()
    {
        var endpoints = Enumerable.Range(0, 300).Select(i => ($"svc{i}.web", Rows(i))).ToList();

        var properties = ShardSummary.Properties(endpoints);
        var back = ShardSummary.Read(new TableEntity("p", "r", properties));

        Assert.Single(properties); // 300 endpoints compress into one property
        Assert.Equal(endpoints.Select(e => e.Item1), back.Select(e => e.Partition));
        for (var i = 0; i < endpoints.Count; i++)
        {
            Assert.Equal(endpoints[i].Item2.LastCheck, back[i].Rows.LastCheck);
            Assert.Equal(endpoints[i].Item2.Hour.RowKey, back[i].Rows.Hour.RowKey);
            Assert.Equal(endpoints[i].Item2.Day.Totals.Histogram, back[i].Rows.Day.Totals.Histogram);
            Assert.Equal(endpoints[i].Item2.Day.Totals with { Histogram = [] }, back[i].Rows.Day.Totals with { Histogram = [] });
        }
    }

    [Fact]
    public void Properties_BeyondTheEntityLimit_LeftOff()
    {
        // Partition names that do not compress: past 12 properties of 30,000 characters (Table Storage's 1 MiB entity).
        var endpoints = Enumerable.Range(0, 12_000).Select(i => ($"{Guid.NewGuid():N}{Guid.NewGuid():N}.{i}", Rows(i))).ToList();

        Assert.Empty(ShardSummary.Properties(endpoints));
    }

    [Fact]
    public void Read_Damaged_FormatExceptionNamingTheRow()
    {
        var row = new TableEntity("p", "0000-00001", new Dictionary<string, object?> { ["Summary0"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("not brotli")) });

        var e = Assert.Throws<FormatException>(() => ShardSummary.Read(row));

        Assert.Contains("0000-00001", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShardedCycle_LastShardBuilds_ReadsNoEndpointsCurrentHourOrToday()
    {
        var settings = Backends.Settings("tables", azurite, Path.Combine(Path.GetTempPath(), "unused.db"), "ss" + Guid.NewGuid().ToString("N")[..8]);
        settings["Monitor:ShardSize"] = "10";
        settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        await using var first = App(settings);
        await using var second = App(settings);
        await CycleAsync(first, second); // 12:01: past hours read, memory filled
        var before = first.Services.GetRequiredService<LiveReadCounter>().LiveReads + second.Services.GetRequiredService<LiveReadCounter>().LiveReads;

        await CycleAsync(first, second); // 12:02
        var live = first.Services.GetRequiredService<LiveReadCounter>().LiveReads + second.Services.GetRequiredService<LiveReadCounter>().LiveReads - before;

        Assert.Equal(0, live);
        // What the last shard's instance built from the summaries is what an instance with nothing in memory reads.
        var now = first.Clock.GetUtcNow();
        var built = new[] { first, second }.Select(a => a.Services.GetRequiredService<ReadSnapshots>().Current).First(s => s?.BuiltAt == now)!;
        await using var fresh = App(settings);
        fresh.Clock.Advance(now - fresh.Clock.GetUtcNow());
        var snapshots = fresh.Services.GetRequiredService<ReadSnapshots>();
        await snapshots.PublishAsync(CancellationToken.None);
        foreach (var (key, entry) in snapshots.Current!.Entries)
        {
            Assert.True(entry.Identity.AsSpan().SequenceEqual(built.Entries[key].Identity), $"{key} differs");
        }
    }

    private static LiveRows Rows(int i)
    {
        var at = ManualClock.Epoch.AddMinutes(i % 60); // the test clocks' one date, never a calendar date of its own
        var totals = RollupTotals.Empty.Record(ServerlessMonitor.Probing.ProbeOutcome.Up, false, 40 + i, true) with { LatencySumMs = 40.25 + i };
        return new LiveRows(at, new LiveRow(RollupKeys.Hourly(at, "local"), totals), new LiveRow(RollupKeys.Daily(at, "local"), totals.Add(totals)));
    }

    /// <summary>ProbeTimer on the first instance, then the shards alternately on each (as the platform spreads them).</summary>
    private async Task CycleAsync(MonitorAppFactory first, MonitorAppFactory second)
    {
        first.Clock.Advance(TimeSpan.FromMinutes(1));
        second.Clock.Advance(TimeSpan.FromMinutes(1));
        await first.FireProbeTimerAsync();
        var instances = new[] { first, second };
        var run = 0;
        for (var idle = 0; idle < 3;)
        {
            var received = (await _queue.ReceiveMessagesAsync(maxMessages: 1, visibilityTimeout: TimeSpan.FromSeconds(30))).Value;
            if (received.Length == 0)
            {
                idle++;
                await Task.Delay(500);
                continue;
            }
            var message = received[0];
            await instances[run++ % 2].Services.GetRequiredService<ProbeShardFunction>().RunAsync(message.Body.ToString(), CancellationToken.None);
            await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }
    }

    private MonitorAppFactory App(Dictionary<string, string?> settings) =>
        new(Catalog(), settings)
        {
            ConfigureServices = services =>
            {
                services.AddSingleton<IShardQueue>(new StorageShardQueue(StorageShardQueue.FromConfiguration(
                    new ConfigurationBuilder().AddInMemoryCollection(settings).Build())!));
                var original = services.Last(d => d.ServiceType == typeof(ITableStore));
                services.AddSingleton(sp => new LiveReadCounter((ITableStore)original.ImplementationFactory!(sp), sp.GetRequiredService<TimeProvider>()));
                services.Replace(ServiceDescriptor.Singleton<ITableStore>(sp => sp.GetRequiredService<LiveReadCounter>()));
            },
        };

    private string Catalog() => $$"""
        { "services": [ {{string.Join(",", Enumerable.Range(0, Services).Select(i => $$"""
            { "id": "sum{{i:D2}}", "name": "Summed {{i}}", "endpoints": [
                { "id": "web", "url": "{{_lab.Http($"/healthy?s={i}")}}", "interval": "00:01:00", "timeout": "00:00:05" } ] }
            """))}} ] }
        """;

    /// <summary>Counts rollup queries that reach the current hour or today (what memory holds), not the past hours or days.</summary>
    private sealed class LiveReadCounter(ITableStore inner, TimeProvider time) : DelegatingTableStore(inner)
    {
        private long reads;

        public long LiveReads => Interlocked.Read(ref reads);

        public override Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null,
            IReadOnlyList<string>? select = null, string? continuationToken = null, CancellationToken ct = default)
        {
            var now = time.GetUtcNow();
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            if (range.To == RollupKeys.HoursBetween(now, now.AddHours(1)).To || range.To == RollupKeys.DaysBetween(today, today.AddDays(1)).To)
            {
                Interlocked.Increment(ref reads);
            }
            return Inner.QueryAsync(table, partitionKey, range, top, select, continuationToken, ct);
        }
    }
}
