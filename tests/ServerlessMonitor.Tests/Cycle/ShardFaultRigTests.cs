using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OutageLab;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;
using Xunit.Abstractions;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>
/// The fault rig's queue scenarios (Azurite tables + the probe-shards queue, two instances on one account): a shard
/// message redelivered while its first attempt still runs, and an instance killed mid-shard. The test plays the
/// Functions host; an endpoint goes down and recovers while the fault happens in every cycle.
/// </summary>
[Collection("Azurite")]
public sealed class ShardFaultRigTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    // 12 services, ShardSize 10 (its minimum): two shard messages per cycle, of 10 and 2 endpoints.
    private static readonly string[] Services = [.. "abcdefghijkl".Select(c => c.ToString())];
    private OutageLabServer _lab = null!;
    private QueueClient _queue = null!;

    public async Task InitializeAsync()
    {
        _lab = await OutageLabServer.StartAsync(new ManualClock());
        _queue = new QueueClient(azurite.ConnectionString, StorageShardQueue.Name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await _queue.CreateIfNotExistsAsync();
        await _queue.ClearMessagesAsync();
        foreach (var s in Services)
        {
            _lab.Switches.Up(s);
        }
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task Redelivery_SecondAttemptFinishesWhileTheFirstIsStillRunning_NothingLostDoubledOrReordered()
    {
        await RunScenarioAsync("redelivered-while-running", async (message, first, second, _) =>
        {
            // The first attempt probes, then stalls before its first write; its message becomes visible again and the
            // second attempt, on the other instance, runs to the end; then the first one goes on.
            first.Store.Hold();
            var attempt = Task.Run(() => first.App.Services.GetRequiredService<ProbeShardFunction>().RunAsync(message.Body.ToString(), CancellationToken.None));
            await first.Store.Reached.WaitAsync(TimeSpan.FromSeconds(120));
            var again = await RedeliveredAsync(message.MessageId);
            Assert.True(again.DequeueCount >= 2);
            await second.App.Services.GetRequiredService<ProbeShardFunction>().RunAsync(again.Body.ToString(), CancellationToken.None);
            await _queue.DeleteMessageAsync(again.MessageId, again.PopReceipt);
            first.Store.Release();
            await attempt;
        });
    }

    [Fact]
    public async Task KilledMidShard_RetryOnAnotherInstanceSkipsWhatTheDeadOneCommitted_BoardAndServiceEventsHealNothingLost()
    {
        await RunScenarioAsync("killed-mid-shard", async (message, first, second, start) =>
        {
            // A third instance takes the message, commits endpoint 'a' (its only write let through), and dies with the
            // rest of its writes in flight: it never publishes. The message comes back to the second instance.
            var victim = start();
            await using (victim.App)
            {
                victim.App.Clock.Advance(first.App.Clock.GetUtcNow() - victim.App.Clock.GetUtcNow());
                victim.Store.Hold(except: MonitorTables.EndpointPartition("a", "web"));
                using var kill = new CancellationTokenSource();
                var run = victim.App.Services.GetRequiredService<ProbeShardFunction>().RunAsync(message.Body.ToString(), kill.Token);
                await victim.Store.Reached.WaitAsync(TimeSpan.FromSeconds(120));
                if (ProbeShard.FromJson(message.Body.ToString()).Endpoints.Any(e => e.Service == "a"))
                {
                    await victim.Store.ExceptWritten.WaitAsync(TimeSpan.FromSeconds(120));
                }
                await kill.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
            }
            var again = await RedeliveredAsync(message.MessageId);
            await second.App.Services.GetRequiredService<ProbeShardFunction>().RunAsync(again.Body.ToString(), CancellationToken.None);
            await _queue.DeleteMessageAsync(again.MessageId, again.PopReceipt);
        });
    }

    private sealed record Instance(MonitorAppFactory App, HoldingStore Store);

    /// <summary>
    /// Cycles in which 'a' is up, goes down and recovers (thresholds of 1), every shard message meeting
    /// <paramref name="fault"/>, then one clean cycle; scores the alerts and results and prints the BENCH line.
    /// </summary>
    private async Task RunScenarioAsync(string name, Func<QueueMessage, Instance, Instance, Func<Instance>, Task> fault)
    {
        await using var receivers = await AlertReceivers.StartAsync();
        using var dir = new TempDirectory();
        var settings = Backends.Settings("tables", azurite, dir.File("unused.db"), "fq" + Guid.NewGuid().ToString("N")[..8]).With(receivers.Settings());
        settings["Monitor:ShardSize"] = "10";
        settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        var first = Start(settings);
        var second = Start(settings);
        await using var a = first.App;
        await using var b = second.App;

        var stale = 0;
        var run = 0;
        foreach (var (status, faulty) in new[] { (200, true), (500, true), (500, true), (200, true), (200, false), (200, false) })
        {
            _lab.Switches.Set("a", status);
            first.App.Clock.Advance(TimeSpan.FromMinutes(1));
            second.App.Clock.Advance(TimeSpan.FromMinutes(1));
            var planned = await first.App.FireProbeTimerAsync();
            Assert.Contains(planned, l => l.Contains("queued as 2 shards", StringComparison.Ordinal));
            // Two shard messages, taken one at a time with a one-second visibility timeout.
            for (var shard = 0; shard < 2; shard++)
            {
                var message = await NextMessageAsync();
                if (faulty)
                {
                    await fault(message, first, second, () => Start(settings));
                }
                else
                {
                    await first.App.Services.GetRequiredService<ProbeShardFunction>().RunAsync(message.Body.ToString(), CancellationToken.None);
                    await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
            }
            Assert.Equal(0, (await _queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
            await first.App.FireTimerAsync("AlertsTimer");
            var mismatched = await FaultAudit.MismatchesAsync(first.App, Services) + await FaultAudit.MismatchesAsync(second.App, Services) > 0;
            run = mismatched ? run + 1 : 0;
            stale = Math.Max(stale, run);
        }

        var expected = Services.ToDictionary(s => s, s => s == "a" ? new[] { AlertTypes.EndpointDown, AlertTypes.EndpointRecovered } : []);
        var score = await FaultAudit.ScoreAsync(first.App, receivers, expected, serviceEvents: true);
        output.WriteLine(score.Line(name, stale));
        Assert.Equal("up", await first.App.EndpointStatusAsync("a"));
        Assert.Equal(new FaultScore(0, 0, 0), score);
        Assert.True(stale <= 1, $"public answers disagreed with the state rows for {stale} cycles in a row");
    }

    private async Task<QueueMessage> NextMessageAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if ((await _queue.ReceiveMessageAsync(visibilityTimeout: TimeSpan.FromSeconds(1))).Value is { } message)
            {
                return message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("no shard message within 120 s");
    }

    /// <summary>
    /// Waits for the message to come back. Every other message received meanwhile is made visible again before this
    /// returns, the ones after the match included: one left behind would stay hidden for its 5-minute visibility timeout.
    /// </summary>
    private async Task<QueueMessage> RedeliveredAsync(string messageId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            QueueMessage? match = null;
            foreach (var m in (await _queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: TimeSpan.FromMinutes(5))).Value)
            {
                if (m.MessageId == messageId)
                {
                    match = m;
                }
                else
                {
                    await _queue.UpdateMessageAsync(m.MessageId, m.PopReceipt, visibilityTimeout: TimeSpan.Zero);
                }
            }
            if (match is not null)
            {
                return match;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"message {messageId} was not redelivered within 120 s");
    }

    private Instance Start(Dictionary<string, string?> settings)
    {
        HoldingStore? store = null;
        var app = new MonitorAppFactory(Catalog(), settings)
        {
            ConfigureServices = services =>
            {
                services.AddSingleton<IShardQueue>(new StorageShardQueue(StorageShardQueue.FromConfiguration(
                    new ConfigurationBuilder().AddInMemoryCollection(settings).Build())!));
                EveryNthReadFailsStore.Install(services, inner => store = new HoldingStore(inner));
            },
        };
        _ = app.Services;
        return new Instance(app, store!);
    }

    private string Catalog() => $$"""
        { "services": [ {{string.Join(",", Services.Select(s => $$"""
            { "id": "{{s}}", "name": "Lab {{s}}", "endpoints": [
                { "id": "web", "url": "{{_lab.Http($"/switch/{s}")}}", "interval": "00:01:00", "timeout": "00:00:05",
                  "failureThreshold": 1, "successThreshold": 1, "conditions": ["[STATUS] == 200"] } ] }
            """))}} ] }
        """;
}
