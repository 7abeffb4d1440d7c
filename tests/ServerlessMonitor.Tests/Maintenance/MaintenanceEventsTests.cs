using System.Net;
using System.Text;
using OutageLab;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Tests.Admin;
using ServerlessMonitor.Tests.Notifications;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Maintenance;

/// <summary>
/// Planned maintenance announced: Service.MaintenanceScheduled at Maintenance:AnnounceBefore, .MaintenanceStarted and .MaintenanceEnded,
/// each once per window although two instances sweep every step and a third starts afterwards; the channel routed to
/// <c>maintenance</c> gets one message each, the one that is not gets none; the page shows the window ahead and while it runs.
/// </summary>
[Collection("Azurite")]
public sealed class MaintenanceEventsTests(AzuriteFixture azurite) : LabTest
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task AlertsTimer_TwoInstancesThroughTwoWindows_EachPhaseOnceToEverySinkAndPageShowsIt(string backend)
    {
        var service = "mt-" + backend;
        using var dir = new TempDirectory();
        await using var slack = await ChannelRig.FakeAsync(ChannelKind.Slack);
        await using var pd = await ChannelRig.FakeAsync(ChannelKind.PagerDuty);
        await using var receivers = await AlertReceivers.StartAsync();
        var settings = AdminHarness.WithKey(ChannelRig.Settings(ChannelKind.Slack, slack.Url, "ops"))
            .With(ChannelRig.Settings(ChannelKind.PagerDuty, pd.Url, "pager"))
            .With(receivers.Settings())
            .With(Backends.Settings(backend, azurite, dir.File("m.db"), "mt" + Guid.NewGuid().ToString("N")[..8]));
        settings["Notifications:Channels:ops:Events:0"] = "maintenance";
        settings["Notifications:Channels:pager:Events:0"] = "down";
        // Delivered outbox rows go at once: only the markers keep a 48 h announcement from being written again.
        settings["Alerts:KeepDelivered"] = "00:00:00";
        // Tue 2026-11-24 02:00–03:00 UTC, 62 h after the clocks' start (Sat 12:00).
        var catalog = $$"""
            { "services": [ { "id": "{{service}}", "name": "Lab {{service}}", "category": "lab", "endpoints": [
                { "id": "web", "kind": "http", "url": "{{Lab.Http($"/switch/{service}-web")}}", "interval": "00:01:00", "timeout": "00:00:05",
                  "conditions": ["[STATUS] == 200"] } ] } ],
              "maintenance": [ { "service": "{{service}}", "start": "2026-11-24T02:00:00Z", "duration": "01:00:00" } ] }
            """;
        await using var a = new MonitorAppFactory(catalog, settings);
        await using var b = new MonitorAppFactory(catalog, settings);
        MonitorAppFactory[] apps = [a, b];
        async Task StepAsync(TimeSpan by)
        {
            foreach (var app in apps)
            {
                app.Clock.Advance(by);
            }
            await a.FireTimerAsync("AlertsTimer");
            await b.FireTimerAsync("AlertsTimer");
            await a.FireTimerAsync("AlertsTimer");
        }

        // A window added through the admin API 1 h ahead: inside AnnounceBefore already, so announced at the next sweep.
        var added = await a.AdminClient().PostAsync("/api/admin/maintenance", new StringContent(
            $$"""{ "service": "{{service}}", "start": "2026-11-21T13:00:00Z", "duration": "00:30:00" }""", Encoding.UTF8, "application/json"));
        await StepAsync(TimeSpan.Zero);
        var afterAdded = Titles(slack);
        await StepAsync(TimeSpan.FromHours(1));
        await StepAsync(TimeSpan.FromMinutes(30));
        await StepAsync(TimeSpan.FromHours(12.5) - TimeSpan.FromMinutes(1));
        var beforeAnnounce = Titles(slack).Count;
        await StepAsync(TimeSpan.FromMinutes(1)); // Sun 02:00: 48 h before
        await a.FireProbeTimerAsync();
        var pageAhead = await a.CreateClient().GetStringAsync("/");
        await StepAsync(TimeSpan.FromHours(48));
        await a.FireProbeTimerAsync();
        var pageRunning = await a.CreateClient().GetStringAsync("/");
        await StepAsync(TimeSpan.FromHours(1));
        await StepAsync(TimeSpan.FromMinutes(30));
        await a.FireProbeTimerAsync();
        var pageAfter = await a.CreateClient().GetStringAsync("/");
        // An instance started afterwards, on the same storage, sweeps too.
        await using (var c = new MonitorAppFactory(catalog, settings))
        {
            c.Clock.Advance(a.Clock.GetUtcNow() - c.Clock.GetUtcNow());
            await c.FireTimerAsync("AlertsTimer");
        }

        var name = $"Lab {service}";
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal([$"Planned maintenance of {name}"], afterAdded);
        Assert.Equal(3, beforeAnnounce);
        Assert.Equal([$"Planned maintenance of {name}", $"{name}: planned maintenance started", $"{name}: planned maintenance ended",
            $"Planned maintenance of {name}", $"{name}: planned maintenance started", $"{name}: planned maintenance ended"], Titles(slack));
        Assert.Equal($"Planned maintenance Tue 02:00–03:00 UTC for {name}", Text(slack, 3));
        Assert.Equal($"{name}: Planned maintenance in progress until 03:00 UTC", Text(slack, 4));
        Assert.Empty(pd.Accepted);
        foreach (var type in new[] { "Scheduled", "Started", "Ended" })
        {
            var events = receivers.TopicEvents($"ServerlessMonitor.Service.Maintenance{type}");
            Assert.Equal(2, events.Count);
            Assert.Equal(2, events.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
            Assert.All(events, e => Assert.Equal($"services/{service}", e.GetProperty("subject").GetString()));
        }
        Assert.Contains("Planned maintenance Tue 02:00–03:00 UTC", WebUtility.HtmlDecode(pageAhead));
        Assert.Contains("Planned maintenance in progress until 03:00 UTC", WebUtility.HtmlDecode(pageRunning));
        Assert.DoesNotContain("Planned maintenance", WebUtility.HtmlDecode(pageAfter));
    }

    private static string Text(ProviderFake slack, int i) =>
        System.Text.Json.JsonDocument.Parse(slack.Accepted[i].Body).RootElement.GetProperty("text").GetString()!;

    private static List<string> Titles(ProviderFake slack) =>
        slack.Accepted.Select(r => System.Text.Json.JsonDocument.Parse(r.Body).RootElement.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString()!).ToList();
}
