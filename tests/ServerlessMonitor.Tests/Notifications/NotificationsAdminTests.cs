using System.Net;
using System.Text.Json;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Tests.Admin;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>/api/admin/notifications: channel health, a test message, dead deliveries and their re-drive.</summary>
public class NotificationsAdminTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Admin_ProviderFailsUntilDeadThenRedriven_ShowsHealthPendingDeadAndDeliversOnce()
    {
        const string service = "notify-admin";
        await using var slack = await ChannelRig.FakeAsync(ChannelKind.Slack);
        await using var pd = await ChannelRig.FakeAsync(ChannelKind.PagerDuty);
        pd.Fault = _ => new FakeAnswer(500, """{"message":"internal error"}""");
        var settings = AdminHarness.WithKey(ChannelRig.Settings(ChannelKind.Slack, slack.Url, "ops"));
        foreach (var (k, v) in ChannelRig.Settings(ChannelKind.PagerDuty, pd.Url, "pager"))
        {
            settings[k] = v;
        }
        settings["Alerts:MaxAge"] = "01:00:00";
        await using var app = new MonitorAppFactory(NotificationLab.Catalog(fixture.Lab, [(service, ["web"], null)]), settings);
        var admin = app.AdminClient();
        await app.NextCycleAsync();
        fixture.Lab.Switches.Set($"{service}-web", 500);
        await app.NextCycleAsync();

        var failing = await GetAsync(admin);
        var test = await admin.PostAsync("/api/admin/notifications/ops/test", null);
        var unknown = await admin.PostAsync("/api/admin/notifications/nope/test", null);
        var testFailing = await admin.PostAsync("/api/admin/notifications/pager/test", null);
        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await app.FireTimerAsync("AlertsTimer");
        var dead = await GetAsync(admin);
        pd.Fault = null;
        var redrive = await admin.PostAsync(dead.GetProperty("dead")[0].GetProperty("redrive").GetString(), null);
        var again = await admin.PostAsync(dead.GetProperty("dead")[0].GetProperty("redrive").GetString(), null);
        var after = await GetAsync(admin);

        var ops = Channel(failing, "ops");
        var pager = Channel(failing, "pager");
        Assert.Equal(("slack", 0, 0), (ops.GetProperty("type").GetString(), ops.GetProperty("pending").GetInt32(), ops.GetProperty("dead").GetInt32()));
        Assert.NotEqual(JsonValueKind.Null, ops.GetProperty("lastSuccess").ValueKind);
        Assert.Equal(1, pager.GetProperty("pending").GetInt32());
        Assert.Contains("HTTP 500: {\"message\":\"internal error\"}", pager.GetProperty("lastError").GetString());
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.BadGateway), (test.StatusCode, unknown.StatusCode, testFailing.StatusCode));
        Assert.Contains("ServerlessMonitor test message", slack.Accepted[^1].BodyText);
        var deadOne = Assert.Single(dead.GetProperty("dead").EnumerateArray());
        Assert.Equal(("pager", "ServerlessMonitor.Service.Down"), (deadOne.GetProperty("channel").GetString(), deadOne.GetProperty("type").GetString()));
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.NotFound), (redrive.StatusCode, again.StatusCode));
        Assert.Equal("trigger", JsonDocument.Parse(Assert.Single(pd.Accepted).Body).RootElement.GetProperty("event_action").GetString());
        Assert.Empty(after.GetProperty("dead").EnumerateArray());
        Assert.Equal(2, slack.Accepted.Count);
        var everything = failing.GetRawText() + dead.GetRawText() + await testFailing.Content.ReadAsStringAsync();
        Assert.All(ProviderRules.Secrets, s => Assert.DoesNotContain(s, everything));
    }

    private static async Task<JsonElement> GetAsync(HttpClient admin) =>
        JsonDocument.Parse(await admin.GetStringAsync("/api/admin/notifications")).RootElement.Clone();

    private static JsonElement Channel(JsonElement report, string name) =>
        report.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
}
