using System.Net.Http.Json;
using System.Text.Json;
using OutageLab;
using ServerlessMonitor.Tests.SelfCheck;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>Alerts are delivered after the cycle's real work: an outbox the store cannot read fails no verdict, no settle and no publish.</summary>
public sealed class DispatchFaultTests
{
    [Fact]
    public async Task Cycle_OutboxUnreadableWhileEndpointGoesDown_CycleCompletesBoardSaysDownAlertSentLater()
    {
        await using var lab = await OutageLabServer.StartAsync(new ManualClock());
        await using var receivers = await AlertReceivers.StartAsync();
        OutboxReadsFailStore? store = null;
        await using var app = new MonitorAppFactory(LabCatalog.Switches(lab, "api"), receivers.Settings())
        {
            ConfigureServices = services => EveryNthReadFailsStore.Install(services, inner => store = new OutboxReadsFailStore(inner)),
        };
        lab.Switches.Up("api");
        await app.NextCycleAsync();
        store!.Failing = true;
        lab.Switches.Set("api", 500);

        var lines = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            lines.AddRange(await app.FireProbeTimerAsync());
        }

        Assert.All(lines, l => Assert.DoesNotContain("incomplete", l, StringComparison.Ordinal));
        Assert.Equal("down", await app.EndpointStatusAsync("api"));
        Assert.Empty(receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains("injected: outbox unreachable", StringComparison.Ordinal));

        store.Failing = false;
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.FireTimerAsync("AlertsTimer");
        Assert.Single(receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
    }

    [Fact]
    public async Task SelfCheck_OutboxUnreadableWhenLocationGoesOffline_VerdictStandsNothingDownEventSentLater()
    {
        await using var internet = await UnpluggableLab.StartAsync();
        await using var receivers = await AlertReceivers.StartAsync();
        OutboxReadsFailStore? store = null;
        var settings = receivers.Settings().With(new Dictionary<string, string?> { ["Monitor:ControlTargets:0"] = internet.Http("/healthy").ToString() });
        await using var app = new MonitorAppFactory(internet.DefaultStyleCatalog(), settings)
        {
            ConfigureServices = services => EveryNthReadFailsStore.Install(services, inner => store = new OutboxReadsFailStore(inner)),
        };
        await app.NextCycleAsync();
        store!.Failing = true;
        await internet.UnplugAsync();

        var lines = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            lines.AddRange(await app.FireProbeTimerAsync());
        }
        var status = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/status");

        // Before: the dispatch after the location row threw out of the self-check, the verdict was lost with it.
        Assert.All(lines, l => Assert.Contains("this location is offline", l, StringComparison.Ordinal));
        Assert.Equal("offline", status.GetProperty("monitor").GetProperty("status").GetString());
        Assert.All(status.GetProperty("services").EnumerateArray(), s => Assert.Equal("up", s.GetProperty("status").GetString()));

        store.Failing = false;
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.FireTimerAsync("AlertsTimer");
        Assert.Single(receivers.TopicEvents("ServerlessMonitor.Monitor.Offline"));
        Assert.Empty(receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
    }
}
