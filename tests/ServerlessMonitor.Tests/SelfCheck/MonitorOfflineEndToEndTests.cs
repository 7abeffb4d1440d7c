using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Alerts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.SelfCheck;

/// <summary>
/// Issue 13: offline, the shipped catalog showed five services down since the same second and would have sent five
/// Down alerts. The monitor now says it is offline, keeps the statuses as last known and sends one event pair.
/// </summary>
public class MonitorOfflineEndToEndTests
{
    private static readonly string[] OutageTypes =
        ["ServerlessMonitor.Endpoint.Down", "ServerlessMonitor.Endpoint.Recovered", "ServerlessMonitor.Service.StatusChanged"];

    [Fact]
    public async Task FreshStartOffline_MonitorOfflineNothingDown_ThenOnline_StatusesUpOneEventEach()
    {
        await using var internet = await UnpluggableLab.StartAsync();
        await internet.UnplugAsync();
        await using var receivers = await AlertReceivers.StartAsync();
        await using var app = new MonitorAppFactory(internet.DefaultStyleCatalog(), ControlTarget(receivers, internet.Http("/healthy")));

        for (var i = 0; i < 4; i++)
        {
            await app.NextCycleAsync();
        }
        var offline = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/status");
        var tiktok = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/status/tiktok");
        var page = await app.CreateClient().GetStringAsync("/");

        var monitor = offline.GetProperty("monitor");
        Assert.Equal(("offline", "local"), (monitor.GetProperty("status").GetString(), monitor.GetProperty("region").GetString()));
        Assert.Equal(ManualClock.Epoch.AddMinutes(1), monitor.GetProperty("since").GetDateTimeOffset());
        const string sentence = "Our probes in local cannot reach the internet since 12:01 UTC; no service could be checked yet.";
        Assert.Equal(sentence, monitor.GetProperty("message").GetString());
        Assert.All(Services(offline), s => Assert.Equal("unknown", s.GetProperty("status").GetString()));
        Assert.Equal(sentence, tiktok.GetProperty("monitor").GetProperty("message").GetString());
        Assert.DoesNotContain(tiktok.GetProperty("advice").EnumerateArray(), a => a.GetString()!.Contains("Nothing to fix", StringComparison.Ordinal));
        Assert.Contains(sentence, page, StringComparison.Ordinal);
        Assert.Single(receivers.TopicEvents("ServerlessMonitor.Monitor.Offline"));
        Assert.Empty(OutageTypes.SelectMany(t => receivers.TopicEvents(t)));
        Assert.Equal(1, await OutboxRowsAsync(app));

        await internet.PlugInAsync();
        for (var i = 0; i < 2; i++)
        {
            await app.NextCycleAsync();
        }
        var online = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/status");

        Assert.Equal("online", online.GetProperty("monitor").GetProperty("status").GetString());
        Assert.All(Services(online), s => Assert.Equal("up", s.GetProperty("status").GetString()));
        Assert.Single(receivers.TopicEvents("ServerlessMonitor.Monitor.Offline"));
        var back = Assert.Single(receivers.TopicEvents("ServerlessMonitor.Monitor.Online"));
        Assert.Equal("monitor/regions/local", back.GetProperty("subject").GetString());
        Assert.Equal(240, back.GetProperty("data").GetProperty("durationSeconds").GetDouble()); // offline at 12:01, online at 12:05
        Assert.Empty(OutageTypes.SelectMany(t => receivers.TopicEvents(t)));
        Assert.Equal(2, await OutboxRowsAsync(app));
    }

    [Fact]
    public async Task OfflineAfterGoodCycles_StatusesStayAsLastKnown_ThenOnline_NoRecoveredStorm()
    {
        await using var internet = await UnpluggableLab.StartAsync();
        await using var receivers = await AlertReceivers.StartAsync();
        await using var app = new MonitorAppFactory(internet.DefaultStyleCatalog(), ControlTarget(receivers, internet.Http("/healthy")));
        await app.NextCycleAsync();
        var lastGood = app.Clock.GetUtcNow();

        await internet.UnplugAsync();
        for (var i = 0; i < 4; i++)
        {
            await app.NextCycleAsync();
        }
        var offline = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/status");
        var youtube = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/status/youtube");
        var page = await app.CreateClient().GetStringAsync("/");

        var monitor = offline.GetProperty("monitor");
        const string sentence = "Our probes in local cannot reach the internet since 12:02 UTC; statuses are from 12:01 UTC.";
        Assert.Equal(sentence, monitor.GetProperty("message").GetString());
        Assert.Equal(lastGood, monitor.GetProperty("statusesFrom").GetDateTimeOffset());
        // No failure was counted: every service is as last known, checked last at the good cycle.
        Assert.All(Services(offline), s => Assert.Equal(("up", lastGood), (s.GetProperty("status").GetString(), s.GetProperty("lastCheck").GetDateTimeOffset())));
        Assert.Equal("youtube was up when we last checked; we cannot tell whether it works right now. "
            + "Still broken for you? Report the problem below, so others can see whether it is just you.", youtube.GetProperty("advice")[1].GetString());
        Assert.Contains(sentence, page, StringComparison.Ordinal);
        Assert.DoesNotContain("All systems operational", page, StringComparison.Ordinal);
        var down = Assert.Single(receivers.TopicEvents("ServerlessMonitor.Monitor.Offline"));
        Assert.Equal(lastGood, down.GetProperty("data").GetProperty("statusesFrom").GetDateTimeOffset());
        Assert.Empty(OutageTypes.SelectMany(t => receivers.TopicEvents(t)));

        await internet.PlugInAsync();
        for (var i = 0; i < 2; i++)
        {
            await app.NextCycleAsync();
        }
        var online = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/status");

        Assert.Equal("online", online.GetProperty("monitor").GetProperty("status").GetString());
        Assert.All(Services(online), s => Assert.Equal("up", s.GetProperty("status").GetString()));
        Assert.Single(receivers.TopicEvents("ServerlessMonitor.Monitor.Online"));
        Assert.Empty(OutageTypes.SelectMany(t => receivers.TopicEvents(t)));
    }

    [Fact]
    public async Task SharedOutage_ControlTargetAnswers_ReportedNormally_ControlTargetAskedOnlyThen()
    {
        await using var internet = await UnpluggableLab.StartAsync();
        await using var receivers = await AlertReceivers.StartAsync();
        // The control target stays reachable: the services share an outage, the location is fine.
        await using var control = await LoopbackReceiver.StartAsync();
        await using var app = new MonitorAppFactory(internet.DefaultStyleCatalog(), ControlTarget(receivers, control.Url));
        await app.NextCycleAsync();
        await app.NextCycleAsync();
        var healthyCycleRequests = control.Requests.Count;

        await internet.UnplugAsync();
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }
        var status = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/status");

        Assert.Equal(0, healthyCycleRequests);
        Assert.Equal(3, control.Requests.Count);
        Assert.All(control.Requests, r => Assert.Equal("HEAD", r.Method));
        Assert.Equal("online", status.GetProperty("monitor").GetProperty("status").GetString());
        Assert.All(Services(status), s => Assert.Equal("down", s.GetProperty("status").GetString()));
        Assert.Equal(10, receivers.TopicEvents("ServerlessMonitor.Endpoint.Down").Count);
        Assert.Empty(receivers.TopicEvents("ServerlessMonitor.Monitor.Offline"));
    }

    private static Dictionary<string, string?> ControlTarget(AlertReceivers receivers, Uri control) =>
        receivers.Settings().With(new Dictionary<string, string?> { ["Monitor:ControlTargets:0"] = control.ToString() });

    private static IEnumerable<JsonElement> Services(JsonElement overview) => overview.GetProperty("services").EnumerateArray();

    private static async Task<int> OutboxRowsAsync(MonitorAppFactory app)
    {
        var store = app.Services.GetRequiredService<ITableStore>();
        var tables = app.Services.GetRequiredService<MonitorTables>();
        return (await store.QueryAsync(tables.Endpoints, MonitorTables.MonitorPartition, RowKeyRange.Prefix("outbox-"))).Items.Count;
    }
}
