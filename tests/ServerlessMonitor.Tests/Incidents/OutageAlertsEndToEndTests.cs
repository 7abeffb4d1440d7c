using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>A lab endpoint fails and recovers; the alerts reach a loopback Event Grid topic (the real SDK publishing) and a webhook.</summary>
public class OutageAlertsEndToEndTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Outage_DownThenRecovered_OneEventEachToTopicAndWebhook_IncidentHasStartEndDuration()
    {
        const string name = "e2e-outage";
        await using var receivers = await AlertReceivers.StartAsync();
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), receivers.Settings());

        await app.NextCycleAsync();
        fixture.Lab.Switches.Set(name, 500);
        for (var i = 0; i < 4; i++)
        {
            await app.NextCycleAsync();
        }
        var status = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/status/{name}");
        fixture.Lab.Switches.Up(name);
        for (var i = 0; i < 2; i++)
        {
            await app.NextCycleAsync();
        }

        var down = Assert.Single(receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
        Assert.Equal($"services/{name}/endpoints/web", down.GetProperty("subject").GetString());
        Assert.Equal("/serverlessmonitor/default", down.GetProperty("source").GetString());
        Assert.Equal("1.0", down.GetProperty("specversion").GetString());
        var data = down.GetProperty("data");
        Assert.Equal(("down", "up"), (data.GetProperty("status").GetString(), data.GetProperty("previousStatus").GetString()));
        Assert.Equal("server-error", data.GetProperty("likelyCause").GetString());
        Assert.Equal("HTTP 500", data.GetProperty("evidence").GetString());
        Assert.Equal(["local"], data.GetProperty("regions").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(fixture.Lab.Http($"/switch/{name}").ToString(), data.GetProperty("url").GetString());
        var recovered = Assert.Single(receivers.TopicEvents("ServerlessMonitor.Endpoint.Recovered"));
        Assert.Equal(data.GetProperty("incidentId").GetString(), recovered.GetProperty("data").GetProperty("incidentId").GetString());
        Assert.Equal(180, recovered.GetProperty("data").GetProperty("durationSeconds").GetDouble());

        // The webhook gets the same events, with the same ids.
        Assert.Equal(down.GetProperty("id").GetString(), Assert.Single(receivers.HookEvents("ServerlessMonitor.Endpoint.Down")).GetProperty("id").GetString());
        Assert.Single(receivers.HookEvents("ServerlessMonitor.Endpoint.Recovered"));
        Assert.Equal(2, receivers.TopicEvents("ServerlessMonitor.Service.StatusChanged").Count);

        // While it was down, the status named the incident and its likely cause.
        Assert.Equal("down", status.GetProperty("status").GetString());
        Assert.Equal("server errors (5xx)", status.GetProperty("incident").GetProperty("likelyCause").GetString());

        var history = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/services/{name}/incidents");
        var incident = Assert.Single(history.GetProperty("incidents").EnumerateArray());
        var start = incident.GetProperty("start").GetDateTimeOffset();
        Assert.Equal(start.AddMinutes(3), incident.GetProperty("end").GetDateTimeOffset());
        Assert.Equal(180, incident.GetProperty("durationSeconds").GetDouble());
        Assert.False(incident.GetProperty("ongoing").GetBoolean());
        Assert.Equal("outage", incident.GetProperty("kind").GetString());
        Assert.Equal(0.5, incident.GetProperty("failedShare").GetDouble());
    }

    [Fact]
    public async Task Outage_TopicUnreachable_EventKeptAndDeliveredByTheNextProcess()
    {
        const string name = "e2e-restart";
        using var dir = new TempDirectory();
        var db = dir.File("restart.db");
        var dead = AppProcess.FreePort();
        fixture.Lab.Switches.Set(name, 500);
        await using (var first = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), new Dictionary<string, string?>
        {
            ["Storage:SqlitePath"] = db,
            ["EventGrid:TopicEndpoint"] = $"http://127.0.0.1:{dead}/api/events",
            ["EventGrid:TopicKey"] = AlertReceivers.TopicKey,
        }))
        {
            for (var i = 0; i < 3; i++)
            {
                await first.NextCycleAsync();
            }
        }

        await using var receivers = await AlertReceivers.StartAsync();
        var settings = receivers.Settings();
        settings["Storage:SqlitePath"] = db;
        await using var second = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), settings);
        second.Clock.Advance(TimeSpan.FromHours(1));
        var report = await second.FireTimerAsync("AlertsTimer");

        Assert.Single(receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
        Assert.Single(receivers.HookEvents("ServerlessMonitor.Endpoint.Down"));
        Assert.Contains("delivered", string.Join("\n", report));
    }

    [Fact]
    public async Task Outage_TopicFailsForAWhile_EveryEventDeliveredLaterOncePerId()
    {
        const string name = "e2e-flaky-topic";
        var failures = 0;
        await using var receivers = await AlertReceivers.StartAsync(async (request, response) =>
        {
            response.StatusCode = Interlocked.Increment(ref failures) <= 3 ? 500 : 200;
            await Task.CompletedTask;
        });
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), receivers.Settings());
        await app.NextCycleAsync();
        fixture.Lab.Switches.Set(name, 502);

        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }
        for (var i = 0; i < 10; i++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(5));
            await app.FireTimerAsync("AlertsTimer");
        }

        var accepted = receivers.Topic.Requests.Skip(3).Where(r => r.Method == "POST")
            .SelectMany(r => JsonDocument.Parse(r.BodyText).RootElement.EnumerateArray()).Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(accepted.Distinct().Count(), accepted.Count);
        // Endpoint.Down, Service.StatusChanged and Service.Down (the service incident): each accepted exactly once, after the topic recovered.
        Assert.Equal(receivers.HookEvents().Select(e => e.GetProperty("id").GetString()).Order(), accepted.Order());
        Assert.Equal(3, accepted.Count);
        Assert.True(failures > 3);
    }
}
