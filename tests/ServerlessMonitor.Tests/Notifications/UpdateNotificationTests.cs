using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Tests.Admin;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>Operator updates reach the notification channels as the routing event "update"; paging channels never get them.</summary>
public class UpdateNotificationTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task PostUpdate_SlackAndPagerDutyChannels_SlackGetsTheUpdatePagerDutyOnlyItsIncident()
    {
        const string name = "upd-notify";
        await using var slack = await ChannelRig.FakeAsync(ChannelKind.Slack);
        await using var pager = await ChannelRig.FakeAsync(ChannelKind.PagerDuty);
        await using var quiet = await ChannelRig.FakeAsync(ChannelKind.Slack);
        var settings = ChannelRig.Settings(ChannelKind.Slack, slack.Url, "ops");
        foreach (var (k, v) in ChannelRig.Settings(ChannelKind.PagerDuty, pager.Url, "pager").Concat(ChannelRig.Settings(ChannelKind.Slack, quiet.Url, "quiet")))
        {
            settings[k] = v;
        }
        settings["Notifications:Channels:quiet:Events:0"] = "down";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), AdminHarness.WithKey(settings));
        await app.ResolvedOutageAsync(fixture.Lab, name);
        await app.FireTimerAsync("AlertsTimer");
        var id = Assert.Single((await app.IncidentsAsync(name)).EnumerateArray()).GetProperty("id").GetString()!;
        var pagesBefore = pager.Accepted.Count;

        using var posted = await app.AdminClient().PostAsJsonAsync($"/api/admin/incidents/{id}/updates",
            new { state = "identified", text = "A bad deploy of the CDN config" });

        posted.EnsureSuccessStatusCode();
        var texts = slack.Accepted.Select(r => JsonDocument.Parse(r.Body).RootElement.ToString()).ToList();
        Assert.Contains(texts, t => t.Contains($"Lab {name}: identified", StringComparison.Ordinal) && t.Contains("A bad deploy of the CDN config", StringComparison.Ordinal));
        Assert.Equal(pagesBefore, pager.Accepted.Count);
        Assert.DoesNotContain(quiet.Accepted, r => System.Text.Encoding.UTF8.GetString(r.Body).Contains("identified", StringComparison.Ordinal));
    }
}
