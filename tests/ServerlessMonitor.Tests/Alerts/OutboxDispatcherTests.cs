using System.Text.Json;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Alerts;

public class OutboxDispatcherTests
{
    [Fact]
    public async Task Dispatch_TopicFailsFirstRequests_RetriesWithBackoffAndDeliversOncePerIdPerSink()
    {
        using var dir = new TempDirectory();
        var failuresLeft = 4;
        await using var topic = await LoopbackReceiver.StartAsync((_, response) =>
        {
            response.StatusCode = Interlocked.Decrement(ref failuresLeft) >= 0 ? 500 : 200;
            return Task.CompletedTask;
        });
        await using var hook = await LoopbackReceiver.StartAsync();
        var clock = new ManualClock();
        var settings = EventGridAlertSinkTests.TopicSettings(topic);
        foreach (var (k, v) in WebhookAlertSinkTests.HookSettings(hook))
        {
            settings[k] = v;
        }
        using var harness = new AlertsHarness(dir.File("m.db"), clock, settings);
        var start = clock.GetUtcNow();
        var down = await harness.WriteAlertAsync(start);
        var degraded = await harness.WriteAlertAsync(start, AlertTypes.EndpointDegraded, "i2");

        var first = await harness.DispatchAsync();
        var notYetDue = await harness.DispatchAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        var second = await harness.DispatchAsync();
        var rowAfterSecond = (await harness.ReadRowAsync(down))!;
        clock.Advance(TimeSpan.FromSeconds(60));
        var third = await harness.DispatchAsync();

        Assert.Equal(new DispatchReport(0, 2, 0), first);
        Assert.Equal(new DispatchReport(0, 0, 0), notYetDue);
        Assert.Equal(new DispatchReport(0, 2, 0), second);
        // Backoff doubles: 30 s after the first failure, 60 s after the second.
        Assert.Equal(start.AddSeconds(90), rowAfterSecond.GetDate(OutboxRows.NextAttemptAtProperty));
        Assert.Equal("webhook-" + HookName(harness), rowAfterSecond.GetString(OutboxRows.DeliveredToProperty));
        Assert.Contains("HTTP 500", rowAfterSecond.GetString(OutboxRows.LastErrorProperty));
        Assert.Equal(new DispatchReport(2, 0, 0), third);
        Assert.Equal(6, topic.Requests.Count);
        // The first four requests were answered 500; the two accepted ones carry each id once.
        Assert.Equal(new[] { down.Id, degraded.Id }.Order(), ReceivedIds(topic.Requests.Skip(4)).Order());
        var hookIds = ReceivedIds(hook.Requests.Where(r => r.Method == "POST"));
        Assert.Equal(new[] { down.Id, degraded.Id }.Order(), hookIds.Order());
        foreach (var alert in new[] { down, degraded })
        {
            var row = (await harness.ReadRowAsync(alert))!;
            Assert.Equal(OutboxRows.Delivered, row.GetString(OutboxRows.StateProperty));
            Assert.Equal(2, row.GetInt64(OutboxRows.AttemptsProperty));
        }
    }

    [Fact]
    public async Task Dispatch_RowOlderThanMaxAge_IsDeadLetteredAndKept()
    {
        using var dir = new TempDirectory();
        await using var topic = await LoopbackReceiver.StartAsync((_, response) =>
        {
            response.StatusCode = 503;
            return Task.CompletedTask;
        });
        var clock = new ManualClock();
        var settings = EventGridAlertSinkTests.TopicSettings(topic);
        settings["Alerts:MaxAge"] = "01:00:00";
        using var harness = new AlertsHarness(dir.File("m.db"), clock, settings);
        var alert = await harness.WriteAlertAsync(clock.GetUtcNow());

        await harness.DispatchAsync();
        clock.Advance(TimeSpan.FromMinutes(61));
        var report = await harness.DispatchAsync();
        clock.Advance(TimeSpan.FromDays(30));
        var later = await harness.DispatchAsync();

        Assert.Equal(new DispatchReport(0, 0, 1), report);
        Assert.Equal(new DispatchReport(0, 0, 0), later);
        Assert.Single(topic.Requests);
        var row = await harness.ReadRowAsync(alert);
        Assert.NotNull(row);
        Assert.Equal(OutboxRows.Dead, row.GetString(OutboxRows.StateProperty));
        Assert.Contains("HTTP 503", row.GetString(OutboxRows.LastErrorProperty));
    }

    [Fact]
    public async Task Dispatch_TwoDispatchersRacing_DeliverEachEventOnce()
    {
        using var dir = new TempDirectory();
        await using var hook = await LoopbackReceiver.StartAsync();
        var clock = new ManualClock();
        var settings = WebhookAlertSinkTests.HookSettings(hook);
        using var a = new AlertsHarness(dir.File("m.db"), clock, settings);
        using var b = new AlertsHarness(dir.File("m.db"), clock, settings);
        var alerts = new List<AlertEvent>();
        for (var i = 0; i < 20; i++)
        {
            alerts.Add(await a.WriteAlertAsync(clock.GetUtcNow(), incident: $"i{i}"));
        }

        var reports = await Task.WhenAll(Task.Run(() => a.DispatchAsync()), Task.Run(() => b.DispatchAsync()));

        Assert.Equal(20, reports.Sum(r => r.Delivered));
        var ids = ReceivedIds(hook.Requests.Where(r => r.Method == "POST"));
        Assert.Equal(alerts.Select(x => x.Id).Order(), ids.Order());
    }

    [Fact]
    public async Task Dispatch_NewInstanceOnSameFile_DeliversRowsWrittenBeforeRestart()
    {
        using var dir = new TempDirectory();
        await using var hook = await LoopbackReceiver.StartAsync();
        var clock = new ManualClock();
        AlertEvent alert;
        using (var before = new AlertsHarness(dir.File("m.db"), clock))
        {
            alert = await before.WriteAlertAsync(clock.GetUtcNow());
        }

        using var after = new AlertsHarness(dir.File("m.db"), clock, WebhookAlertSinkTests.HookSettings(hook));
        var report = await after.DispatchAsync();

        Assert.Equal(new DispatchReport(1, 0, 0), report);
        Assert.Equal([alert.Id], ReceivedIds(hook.Requests.Where(r => r.Method == "POST")));
    }

    [Fact]
    public async Task Dispatch_NoSinkConfigured_MarksDeliveredWithNote()
    {
        using var dir = new TempDirectory();
        var clock = new ManualClock();
        using var harness = new AlertsHarness(dir.File("m.db"), clock);
        var alert = await harness.WriteAlertAsync(clock.GetUtcNow());

        var report = await harness.DispatchAsync();

        Assert.Equal(new DispatchReport(1, 0, 0), report);
        var row = (await harness.ReadRowAsync(alert))!;
        Assert.Equal(OutboxRows.Delivered, row.GetString(OutboxRows.StateProperty));
        Assert.Equal("no sink configured", row.GetString(OutboxRows.NoteProperty));
    }

    [Fact]
    public async Task Dispatch_DeliveredRowOlderThanKeepDelivered_IsDeleted()
    {
        using var dir = new TempDirectory();
        var clock = new ManualClock();
        using var harness = new AlertsHarness(dir.File("m.db"), clock, new Dictionary<string, string?> { ["Alerts:KeepDelivered"] = "1.00:00:00" });
        var alert = await harness.WriteAlertAsync(clock.GetUtcNow());
        await harness.DispatchAsync();

        clock.Advance(TimeSpan.FromHours(23));
        await harness.DispatchAsync();
        var kept = await harness.ReadRowAsync(alert);
        clock.Advance(TimeSpan.FromHours(2));
        await harness.DispatchAsync();

        Assert.NotNull(kept);
        Assert.Null(await harness.ReadRowAsync(alert));
    }

    [Fact]
    public async Task AlertsTimer_Run_DispatchesEveryCatalogPartitionAndReportsCounts()
    {
        using var dir = new TempDirectory();
        await using var hook = await LoopbackReceiver.StartAsync();
        var clock = new ManualClock();
        using var harness = new AlertsHarness(dir.File("m.db"), clock, WebhookAlertSinkTests.HookSettings(hook));
        await harness.WriteAlertAsync(clock.GetUtcNow());
        await harness.WriteAlertAsync(clock.GetUtcNow(), AlertTypes.EndpointRecovered);
        var timer = harness.Get<IEnumerable<ITimerFunction>>().Single(f => f.Name == "AlertsTimer");

        var logs = await timer.RunAsync(false, CancellationToken.None);

        Assert.Equal("0 * * * * *", timer.Schedule);
        Assert.Equal(["alerts: 2 delivered, 0 retrying, 0 dead-lettered"], logs);
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(5, 480)]
    [InlineData(6, 900)]
    [InlineData(40, 900)]
    public void Backoff_Attempts_DoublesFromBaseUpToMax(int attempts, int expectedSeconds)
    {
        using var dir = new TempDirectory();
        using var harness = new AlertsHarness(dir.File("m.db"), new ManualClock());

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), harness.Dispatcher.Backoff(attempts));
    }

    private static string HookName(AlertsHarness harness) =>
        harness.Get<IEnumerable<IAlertSink>>().Single(s => s.Name.StartsWith("webhook-", StringComparison.Ordinal)).Name["webhook-".Length..];

    private static List<string> ReceivedIds(IEnumerable<ReceivedRequest> requests) => requests
        .SelectMany(r =>
        {
            using var doc = JsonDocument.Parse(r.Body);
            return doc.RootElement.ValueKind == JsonValueKind.Array
                ? doc.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList()
                : [doc.RootElement.GetProperty("id").GetString()!];
        })
        .ToList();
}
