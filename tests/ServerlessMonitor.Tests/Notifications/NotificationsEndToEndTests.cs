using System.Text.Json;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>The standalone app on the outage lab, every web channel pointed at its loopback fake.</summary>
public class NotificationsEndToEndTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private static readonly string[] Endpoints = ["web", "api", "cdn"];

    [Fact]
    public async Task Outage_ThreeEndpointsDownInOneCycle_OneMessagePerChannelThenOneRecovery()
    {
        const string service = "notify-e2e";
        await using var providers = await NotificationLab.StartAsync();
        await using var receivers = await AlertReceivers.StartAsync();
        var settings = providers.Settings();
        foreach (var (k, v) in receivers.Settings())
        {
            settings[k] = v;
        }
        await using var app = new MonitorAppFactory(NotificationLab.Catalog(fixture.Lab, [(service, Endpoints, null)]), settings);

        await app.NextCycleAsync();
        SetAll(service, 500);
        await app.NextCycleAsync();
        await app.NextCycleAsync();
        SetAll(service, 200);
        await app.NextCycleAsync();
        await app.NextCycleAsync();

        foreach (var (kind, fake) in providers.Fakes)
        {
            Assert.Empty(fake.Rejected);
            Assert.True(fake.Accepted.Count == 2, $"{kind}: {fake.Accepted.Count} messages: {string.Join(" | ", fake.Accepted.Select(r => r.BodyText))}");
        }
        Assert.Equal([$"Lab {service} is down", $"Lab {service} is back after 2 min"], providers.Smtp.Messages.Select(m => m.Subject));
        var slack = providers.Fakes[ChannelKind.Slack].Accepted.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("text").GetString()).ToList();
        Assert.StartsWith($"Lab {service} is down in local — likely cause: server errors — api, cdn, web failing since", slack[0]);
        Assert.StartsWith($"Lab {service} is back after 2 min", slack[1]);
        var pd = providers.Fakes[ChannelKind.PagerDuty].Accepted.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["trigger", "resolve"], pd.Select(e => e.GetProperty("event_action").GetString()));
        Assert.Equal(pd[0].GetProperty("dedup_key").GetString(), pd[1].GetProperty("dedup_key").GetString());
        var opsgenie = providers.Fakes[ChannelKind.Opsgenie].Accepted;
        Assert.Equal($"/v2/alerts/{pd[0].GetProperty("dedup_key").GetString()}/close?identifierType=alias", opsgenie[1].PathAndQuery);

        // Event Grid keeps its three per-endpoint events and gets the one service-level event besides.
        Assert.Equal(3, receivers.TopicEvents("ServerlessMonitor.Endpoint.Down").Count);
        var down = Assert.Single(receivers.TopicEvents("ServerlessMonitor.Service.Down")).GetProperty("data");
        Assert.Equal(["api", "cdn", "web"], down.GetProperty("endpoints").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(pd[0].GetProperty("dedup_key").GetString(), down.GetProperty("incidentId").GetString());
        Assert.Single(receivers.TopicEvents("ServerlessMonitor.Service.Recovered"));
        AssertNoSecretLogged(app);
    }

    [Fact]
    public async Task Outage_Provider429Then500ForTwoMinutes_EachMessageDeliveredExactlyOnce()
    {
        const string service = "notify-retry";
        await using var providers = await NotificationLab.StartAsync();
        var settings = providers.Settings();
        settings["Alerts:BackoffBase"] = "00:00:05";
        await using var app = new MonitorAppFactory(NotificationLab.Catalog(fixture.Lab, [(service, Endpoints, null)]), settings);
        await app.NextCycleAsync();
        var faultUntil = app.Clock.GetUtcNow().AddMinutes(3);
        foreach (var fake in providers.Fakes.Values)
        {
            var first = 0;
            fake.Fault = _ => app.Clock.GetUtcNow() >= faultUntil ? null
                : Interlocked.Exchange(ref first, 1) == 0 ? new FakeAnswer(429, """{"message":"rate limited"}""", RetryAfter: "20")
                : new FakeAnswer(500, """{"message":"internal error"}""");
        }

        SetAll(service, 500);
        await app.NextCycleAsync();
        for (var i = 0; i < 24; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(10));
            await app.FireTimerAsync("AlertsTimer");
        }
        SetAll(service, 200);
        await app.NextCycleAsync();
        for (var i = 0; i < 6; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(10));
            await app.FireTimerAsync("AlertsTimer");
        }

        foreach (var (kind, fake) in providers.Fakes)
        {
            Assert.True(fake.Requests > fake.Accepted.Count, $"{kind} was never failed");
            Assert.Empty(fake.Rejected);
            Assert.True(fake.Accepted.Count == 2, $"{kind}: {fake.Accepted.Count} accepted");
        }
        var pd = providers.Fakes[ChannelKind.PagerDuty].Accepted.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("event_action").GetString());
        Assert.Equal(["trigger", "resolve"], pd);
        AssertNoSecretLogged(app);
    }

    private void SetAll(string service, int status)
    {
        foreach (var e in Endpoints)
        {
            fixture.Lab.Switches.Set($"{service}-{e}", status);
        }
    }

    internal static void AssertNoSecretLogged(MonitorAppFactory app)
    {
        var log = string.Join("\n", app.Logs.Entries.Select(e => e.Message));
        Assert.All(ProviderRules.Secrets.Append(SmtpLab.Password), s => Assert.DoesNotContain(s, log));
    }
}
