using OutageLab;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;
using Xunit.Abstractions;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>
/// The fault rig on the Table Storage path (Azurite): after each fault heals, within one further cycle every public
/// answer matches the committed state rows, and no transition, alert or result is lost, doubled or reordered per sink.
/// Each scenario prints its BENCH faults line.
/// </summary>
[Collection("Azurite")]
public sealed class FaultRigTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly string[] Services = ["a", "b", "c"];

    [Fact]
    public async Task StoreOutage_ServerBusyThen500ThenTimeoutsWhileAnEndpointGoesDownAndRecovers_HealsWithinOneCycleNothingLostOrDoubled()
    {
        await using var lab = await OutageLabServer.StartAsync(new ManualClock());
        await using var receivers = await AlertReceivers.StartAsync();
        OutageTableStore? store = null;
        using var dir = new TempDirectory();
        var settings = Backends.Settings("tables", azurite, dir.File("unused.db"), "fr" + Guid.NewGuid().ToString("N")[..8]).With(receivers.Settings());
        await using var app = new MonitorAppFactory(LabCatalog.Switches(lab, Services), settings)
        {
            ConfigureServices = services => EveryNthReadFailsStore.Install(services, inner => store = new OutageTableStore(inner)),
        };
        foreach (var s in Services)
        {
            lab.Switches.Up(s);
        }
        await CycleAsync(app);
        await CycleAsync(app);

        // The store goes away for three one-minute cycles (well past 30 s on the app's clock) while 'a' goes down ...
        lab.Switches.Set("a", 500);
        await OutageAsync(app, store!);
        var stale = await HealedCyclesAsync(app, 4);
        Assert.Equal("down", await app.EndpointStatusAsync("a"));

        // ... and again while it recovers.
        lab.Switches.Up("a");
        await OutageAsync(app, store!);
        stale = Math.Max(stale, await HealedCyclesAsync(app, 4));
        Assert.Equal("up", await app.EndpointStatusAsync("a"));

        Assert.True(store!.Refused > 0);
        var score = await FaultAudit.ScoreAsync(app, receivers, Expected(("a", [AlertTypes.EndpointDown, AlertTypes.EndpointRecovered])));
        output.WriteLine(score.Line("store-outage", stale));
        Assert.Equal(new FaultScore(0, 0, 0), score);
        Assert.True(stale <= 1, $"public answers disagreed with the state rows for {stale} cycles after the store healed");
    }

    [Fact]
    public async Task AzuriteRestart_KilledMidCycleAsAnEndpointGoesDownAndAsItRecovers_NextCyclesHealNothingLostOrDoubled()
    {
        using var data = new TempDirectory();
        // An Azurite of its own, keeping its data on disk: the shared one keeps it in memory and serves the other tests.
        var own = new AzuriteFixture(Directory.CreateDirectory(data.File("azurite")).FullName);
        await own.InitializeAsync();
        try
        {
            await using var lab = await OutageLabServer.StartAsync(new ManualClock());
            await using var receivers = await AlertReceivers.StartAsync();
            AfterWriteStore? store = null;
            var settings = Backends.Settings("tables", own, data.File("unused.db"), "ar" + Guid.NewGuid().ToString("N")[..8]).With(receivers.Settings());
            await using var app = new MonitorAppFactory(ThresholdsOfOne(lab), settings)
            {
                ConfigureServices = services => EveryNthReadFailsStore.Install(services, inner => store = new AfterWriteStore(inner)),
            };
            foreach (var s in Services)
            {
                lab.Switches.Up(s);
            }
            await CycleAsync(app);
            await CycleAsync(app);

            // Azurite goes away right after the cycle committed 'a' going down, before anything was published ...
            lab.Switches.Set("a", 500);
            await RestartMidCycleAsync(app, store!, own);
            var stale = await HealedCyclesAsync(app, 4);
            Assert.Equal("down", await app.EndpointStatusAsync("a"));

            // ... and again right after it committed the recovery.
            lab.Switches.Up("a");
            await RestartMidCycleAsync(app, store!, own);
            stale = Math.Max(stale, await HealedCyclesAsync(app, 4));
            Assert.Equal("up", await app.EndpointStatusAsync("a"));

            var score = await FaultAudit.ScoreAsync(app, receivers, Expected(("a", [AlertTypes.EndpointDown, AlertTypes.EndpointRecovered])),
                serviceEvents: true);
            output.WriteLine(score.Line("azurite-restart", stale));
            Assert.Equal(new FaultScore(0, 0, 0), score);
            Assert.True(stale <= 1, $"public answers disagreed with the state rows for {stale} cycles after Azurite came back");
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    /// <summary>A cycle during which Azurite is stopped as soon as endpoint 'a''s write is committed; Azurite is started again after it.</summary>
    private static async Task RestartMidCycleAsync(MonitorAppFactory app, AfterWriteStore store, AzuriteFixture azurite)
    {
        store.Arm(MonitorTables.EndpointPartition("a", "web"), azurite.StopAsync);
        await CycleAsync(app);
        Assert.True(store.Fired.IsCompleted, "the cycle never committed endpoint 'a', so Azurite was not stopped in its middle");
        await azurite.RestartAsync();
    }

    private static string ThresholdsOfOne(OutageLabServer lab) => $$"""
        { "services": [ {{string.Join(",", Services.Select(s => $$"""
            { "id": "{{s}}", "name": "Lab {{s}}", "endpoints": [
                { "id": "web", "url": "{{lab.Http($"/switch/{s}")}}", "interval": "00:01:00", "timeout": "00:00:05",
                  "failureThreshold": 1, "successThreshold": 1, "conditions": ["[STATUS] == 200"] } ] }
            """))}} ] }
        """;

    private static Dictionary<string, string[]> Expected(params (string Service, string[] Types)[] changes)
    {
        var expected = Services.ToDictionary(s => s, _ => Array.Empty<string>());
        foreach (var (service, types) in changes)
        {
            expected[service] = types;
        }
        return expected;
    }

    /// <summary>Three cycles (and alert rounds) with the store refusing everything: 503 ServerBusy, then 500, then timeouts.</summary>
    private static async Task OutageAsync(MonitorAppFactory app, OutageTableStore store)
    {
        foreach (var fault in new[] { StoreFault.ServerBusy503, StoreFault.Internal500, StoreFault.Timeout })
        {
            store.Fault = fault;
            await CycleAsync(app);
        }
        store.Fault = StoreFault.None;
    }

    /// <summary>Runs <paramref name="cycles"/> cycles after a fault healed; returns how many of them ended with a public answer unlike its state row.</summary>
    private static async Task<int> HealedCyclesAsync(MonitorAppFactory app, int cycles)
    {
        var stale = 0;
        for (var i = 0; i < cycles; i++)
        {
            await CycleAsync(app);
            stale += await FaultAudit.MismatchesAsync(app, Services) > 0 ? 1 : 0;
        }
        return stale;
    }

    private static async Task CycleAsync(MonitorAppFactory app)
    {
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.FireProbeTimerAsync();
        await app.FireTimerAsync("AlertsTimer");
    }
}
