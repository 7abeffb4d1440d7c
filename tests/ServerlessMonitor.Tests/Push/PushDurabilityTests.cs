using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Push;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Admin;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Push;

/// <summary>Restarts and scale-out: the beat is stored before the 200, a monitor that was down judges fairly, racing instances keep the newest beat.</summary>
[Collection("Azurite")]
public sealed class PushDurabilityTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Beat_AppStopsRightAfterThe200_NextInstanceSeesTheBeat()
    {
        const string service = "push-durable";
        using var dir = new TempDirectory();
        var settings = AdminHarness.WithKey(new() { ["Storage:SqlitePath"] = dir.File("durable.db") });
        string token;
        await using (var first = new MonitorAppFactory(PushEndToEndTests.Catalog(service), settings))
        {
            token = await PushEndToEndTests.CreateTokenAsync(first, service);
            first.Clock.Advance(TimeSpan.FromSeconds(7));
            Assert.Equal(HttpStatusCode.OK, (await first.CreateClient().GetAsync($"/api/push/{token}?msg=done")).StatusCode);
        }
        await using var second = new MonitorAppFactory(PushEndToEndTests.Catalog(service), settings);

        var beat = await second.Services.GetRequiredService<BeatStore>().ReadAsync(MonitorTables.EndpointPartition(service, "backup"), default);

        Assert.Equal((ManualClock.Epoch.AddSeconds(7), "done"), (beat!.LastAt, beat.Message));
    }

    [Fact]
    public async Task Restart_MonitorDownForAnHour_NoFalseLateThenLateAPeriodLater()
    {
        const string service = "push-restart";
        using var dir = new TempDirectory();
        var settings = AdminHarness.WithKey(new() { ["Storage:SqlitePath"] = dir.File("restart.db") });
        await using (var before = new MonitorAppFactory(PushEndToEndTests.Catalog(service), settings))
        {
            var token = await PushEndToEndTests.CreateTokenAsync(before, service);
            await before.CreateClient().GetAsync($"/api/push/{token}");
            await before.NextCycleAsync();
            await before.NextCycleAsync(); // last cycle 12:02, then the monitor is down until 13:02
        }
        await using var after = new MonitorAppFactory(PushEndToEndTests.Catalog(service), settings);
        after.Clock.Advance(TimeSpan.FromMinutes(62));

        await after.FireProbeTimerAsync();
        var back = await after.EndpointStatusAsync(service, "backup");
        for (var i = 0; i < 6; i++)
        {
            await after.NextCycleAsync(); // 13:08, the edge: a full period plus grace after the monitor came back
        }
        var edge = await after.EndpointStatusAsync(service, "backup");
        await after.NextCycleAsync(); // 13:09
        var late = await after.EndpointAsync(service, "backup");

        Assert.Equal("up", back);
        Assert.Equal("up", edge);
        Assert.Equal("down", late.GetProperty("status").GetString());
        Assert.Equal("no heartbeat since 12:00 UTC (expected by 13:08 UTC)", late.GetProperty("lastError").GetString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task Beats_TwoInstancesAtOnce_TheNewestIsKept(string backend)
    {
        const string service = "push-race";
        using var dir = new TempDirectory();
        var settings = AdminHarness.WithKey(Backends.Settings(backend, azurite, dir.File("race.db"), "pushr" + Guid.NewGuid().ToString("N")[..8]));
        await using var a = new MonitorAppFactory(PushEndToEndTests.Catalog(service), settings);
        await using var b = new MonitorAppFactory(PushEndToEndTests.Catalog(service), settings);
        var token = await PushEndToEndTests.CreateTokenAsync(a, service);
        var store = a.Services.GetRequiredService<BeatStore>();
        var partition = MonitorTables.EndpointPartition(service, "backup");

        var kept = new List<string?>();
        for (var round = 1; round <= 5; round++)
        {
            // a's beat is a second newer than b's; they arrive at the same time.
            a.Clock.Advance(TimeSpan.FromMinutes(1).Add(TimeSpan.FromSeconds(1)));
            b.Clock.Advance(TimeSpan.FromMinutes(1));
            await Task.WhenAll(
                a.CreateClient().GetAsync($"/api/push/{token}?msg=newer-{round}"),
                b.CreateClient().GetAsync($"/api/push/{token}?msg=older-{round}"));
            kept.Add((await store.ReadAsync(partition, default))!.Message);
            b.Clock.Advance(TimeSpan.FromSeconds(1)); // b catches up with a
        }

        Assert.Equal(Enumerable.Range(1, 5).Select(r => $"newer-{r}"), kept);
    }
}
