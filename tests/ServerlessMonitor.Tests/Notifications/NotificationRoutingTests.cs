using System.Text.Json;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>Per-channel routing and noise control (services, events, minDuration) and the group window, on the lab.</summary>
public class NotificationRoutingTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Routing_ServicesEventsAndMinDuration_EachChannelGetsOnlyItsMessages()
    {
        await using var all = await ChannelRig.FakeAsync(ChannelKind.Slack);
        await using var paged = await ChannelRig.FakeAsync(ChannelKind.Slack);
        await using var patient = await ChannelRig.FakeAsync(ChannelKind.Slack);
        var settings = ChannelRig.Settings(ChannelKind.Slack, all.Url, "all");
        Merge(settings, ChannelRig.Settings(ChannelKind.Slack, paged.Url, "paged"));
        settings["Notifications:Channels:paged:Services:0"] = "route-pay*";
        settings["Notifications:Channels:paged:Events:0"] = "down";
        Merge(settings, ChannelRig.Settings(ChannelKind.Slack, patient.Url, "patient"));
        settings["Notifications:Channels:patient:MinDuration"] = "00:05:00";
        await using var app = new MonitorAppFactory(NotificationLab.Catalog(fixture.Lab,
            [("route-blip", ["web"], null), ("route-pay", ["web"], null)]), settings);
        await app.NextCycleAsync();

        // A two-minute blip of one service, then a long outage of the other.
        fixture.Lab.Switches.Set("route-blip-web", 500);
        await app.NextCycleAsync();
        await app.NextCycleAsync();
        fixture.Lab.Switches.Up("route-blip-web");
        await app.NextCycleAsync();
        fixture.Lab.Switches.Set("route-pay-web", 500);
        for (var i = 0; i < 7; i++)
        {
            await app.NextCycleAsync();
            await app.FireTimerAsync("AlertsTimer");
        }
        fixture.Lab.Switches.Up("route-pay-web");
        await app.NextCycleAsync();
        await app.FireTimerAsync("AlertsTimer");

        Assert.Equal(["Lab route-blip is down", "Lab route-blip is back after 2 min", "Lab route-pay is down", "Lab route-pay is back after 7 min"],
            Titles(all));
        Assert.Equal(["Lab route-pay is down"], Titles(paged));
        // The blip never lasted five minutes: neither its down nor its recovery reached the patient channel.
        Assert.Equal(["Lab route-pay is down", "Lab route-pay is back after 7 min"], Titles(patient));
    }

    [Fact]
    public async Task GroupWindow_SecondEndpointFailsWithinIt_JoinsTheOneMessage()
    {
        const string service = "group-window";
        await using var slack = await ChannelRig.FakeAsync(ChannelKind.Slack);
        var settings = ChannelRig.Settings(ChannelKind.Slack, slack.Url, "ops");
        settings["Notifications:GroupWindow"] = "00:02:30";
        await using var app = new MonitorAppFactory(NotificationLab.Catalog(fixture.Lab, [(service, ["web", "api", "cdn"], null)]), settings);
        await app.NextCycleAsync();

        fixture.Lab.Switches.Set($"{service}-web", 500);
        await app.NextCycleAsync();
        await app.FireTimerAsync("AlertsTimer");
        var beforeWindow = slack.Accepted.Count;
        fixture.Lab.Switches.Set($"{service}-api", 500);
        await app.NextCycleAsync();
        await app.NextCycleAsync();
        await app.FireTimerAsync("AlertsTimer");
        // Past the window: the third endpoint no longer joins a sent message.
        fixture.Lab.Switches.Set($"{service}-cdn", 500);
        await app.NextCycleAsync();
        await app.FireTimerAsync("AlertsTimer");

        Assert.Equal(0, beforeWindow);
        var text = Assert.Single(slack.Accepted.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("text").GetString()!));
        Assert.Contains("api, web failing since", text);
        Assert.Contains("(2 of 3 endpoints)", text);
    }

    [Fact]
    public async Task RemindEvery_OutageOfFiveMinutes_TwoCountedRemindersOnlyToThatChannel()
    {
        const string service = "remind-me";
        await using var reminded = await ChannelRig.FakeAsync(ChannelKind.Slack);
        await using var quiet = await ChannelRig.FakeAsync(ChannelKind.Slack);
        var settings = ChannelRig.Settings(ChannelKind.Slack, reminded.Url, "reminded");
        settings["Notifications:Channels:reminded:RemindEvery"] = "00:02:00";
        Merge(settings, ChannelRig.Settings(ChannelKind.Slack, quiet.Url, "quiet"));
        await using var app = new MonitorAppFactory(NotificationLab.Catalog(fixture.Lab, [(service, ["web", "api"], null)]), settings);
        await app.NextCycleAsync();

        fixture.Lab.Switches.Set($"{service}-web", 500);
        fixture.Lab.Switches.Set($"{service}-api", 500);
        for (var i = 0; i < 6; i++)
        {
            await app.NextCycleAsync();
        }
        fixture.Lab.Switches.Up($"{service}-web");
        fixture.Lab.Switches.Up($"{service}-api");
        await app.NextCycleAsync();

        Assert.Equal([$"Lab {service} is down", $"Lab {service} is still down after 2 min (reminder 1)", $"Lab {service} is still down after 4 min (reminder 2)",
            $"Lab {service} is back after 6 min"], Titles(reminded));
        Assert.Equal([$"Lab {service} is down", $"Lab {service} is back after 6 min"], Titles(quiet));
    }

    private static List<string> Titles(ProviderFake fake) => fake.Accepted
        .Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString()!).ToList();

    private static void Merge(Dictionary<string, string?> into, Dictionary<string, string?> from)
    {
        foreach (var (k, v) in from)
        {
            into[k] = v;
        }
    }
}
