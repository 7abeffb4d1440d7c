using System.Net;
using System.Text.Json;
using OutageLab;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Tests.Admin;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>
/// Notifications:MaxAttempts: a channel that keeps failing one message gives up on it (dead for that channel only) and is not sent it
/// again by later sweeps; the admin API lists it and its re-drive delivers it once. Each backend.
/// </summary>
[Collection("Azurite")]
public sealed class DeadLetterTests(AzuriteFixture azurite) : LabTest
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task Dispatch_ChannelFailsMaxAttemptsTimes_StopsSendingListsDeadAndRedrivesOnce(string backend)
    {
        var service = "dl-" + backend;
        using var dir = new TempDirectory();
        await using var slack = await ChannelRig.FakeAsync(ChannelKind.Slack);
        await using var pd = await ChannelRig.FakeAsync(ChannelKind.PagerDuty);
        pd.Fault = _ => new FakeAnswer(500, """{"message":"internal error"}""");
        var settings = AdminHarness.WithKey(ChannelRig.Settings(ChannelKind.Slack, slack.Url, "ops"))
            .With(ChannelRig.Settings(ChannelKind.PagerDuty, pd.Url, "pager"))
            .With(Backends.Settings(backend, azurite, dir.File("d.db"), "dl" + Guid.NewGuid().ToString("N")[..8]));
        settings["Notifications:MaxAttempts"] = "3";
        await using var app = new MonitorAppFactory(NotificationLab.Catalog(Lab, [(service, ["web"], null)]), settings);
        var admin = app.AdminClient();
        await app.NextCycleAsync();
        Lab.Switches.Set($"{service}-web", 500);
        await app.NextCycleAsync();

        // Backoff is at most 15 min: eight sweeps 16 min apart would be eight more attempts without a limit.
        for (var i = 0; i < 8; i++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(16));
            await app.FireTimerAsync("AlertsTimer");
        }
        var dead = await GetAsync(admin);
        var requestsWhenDead = pd.Requests;
        pd.Fault = null;
        var redrive = await admin.PostAsync(dead.GetProperty("dead")[0].GetProperty("redrive").GetString(), null);
        app.Clock.Advance(TimeSpan.FromMinutes(16));
        await app.FireTimerAsync("AlertsTimer");
        var after = await GetAsync(admin);

        Assert.Equal(3, requestsWhenDead);
        var deadOne = Assert.Single(dead.GetProperty("dead").EnumerateArray());
        Assert.Equal(("pager", "ServerlessMonitor.Service.Down", 3),
            (deadOne.GetProperty("channel").GetString(), deadOne.GetProperty("type").GetString(), deadOne.GetProperty("attempts").GetInt32()));
        Assert.Contains("HTTP 500", deadOne.GetProperty("lastError").GetString());
        Assert.Equal((0, 1), (Channel(dead, "pager").GetProperty("pending").GetInt32(), Channel(dead, "pager").GetProperty("dead").GetInt32()));
        Assert.Equal((0, 0), (Channel(dead, "ops").GetProperty("pending").GetInt32(), Channel(dead, "ops").GetProperty("dead").GetInt32()));
        Assert.Contains(app.Logs.Entries, l => l.Message.Contains("dead-lettered for channel-pager", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Accepted, redrive.StatusCode);
        Assert.Equal(4, pd.Requests);
        Assert.Equal("trigger", JsonDocument.Parse(Assert.Single(pd.Accepted).Body).RootElement.GetProperty("event_action").GetString());
        Assert.Single(slack.Accepted);
        Assert.Empty(after.GetProperty("dead").EnumerateArray());
        Assert.Equal(0, Channel(after, "pager").GetProperty("pending").GetInt32());
    }

    [Fact]
    public async Task Dispatch_ChannelMessageOlderThanADay_GivenUpWithoutAnotherSend()
    {
        const string service = "dl-age";
        await using var pd = await ChannelRig.FakeAsync(ChannelKind.PagerDuty);
        pd.Fault = _ => new FakeAnswer(500, "{}");
        var settings = AdminHarness.WithKey(ChannelRig.Settings(ChannelKind.PagerDuty, pd.Url, "pager"));
        settings["Alerts:MaxAge"] = "7.00:00:00";
        await using var app = new MonitorAppFactory(NotificationLab.Catalog(Lab, [(service, ["web"], null)]), settings);
        await app.NextCycleAsync();
        Lab.Switches.Set($"{service}-web", 500);
        await app.NextCycleAsync();
        var first = pd.Requests;

        app.Clock.Advance(TimeSpan.FromHours(25));
        await app.FireTimerAsync("AlertsTimer");
        await app.FireTimerAsync("AlertsTimer");
        var dead = await GetAsync(app.AdminClient());

        Assert.Equal(1, first);
        Assert.Equal(1, pd.Requests);
        Assert.Equal("pager", Assert.Single(dead.GetProperty("dead").EnumerateArray()).GetProperty("channel").GetString());
    }

    private static async Task<JsonElement> GetAsync(HttpClient admin) =>
        JsonDocument.Parse(await admin.GetStringAsync("/api/admin/notifications")).RootElement.Clone();

    private static JsonElement Channel(JsonElement report, string name) =>
        report.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
}
