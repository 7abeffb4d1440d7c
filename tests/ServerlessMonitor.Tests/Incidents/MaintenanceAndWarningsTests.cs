using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Incidents;

public class MaintenanceAndWarningsTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Maintenance_FailuresInsideWindow_StatusMaintenanceAndNoDownEvent()
    {
        const string name = "mw-planned";
        await using var receivers = await AlertReceivers.StartAsync();
        // The test clock starts at 2026-11-21T12:00Z; the weekly window covers 12:00–13:00.
        var catalog = LabCatalog.Switches(fixture.Lab, name).TrimEnd().TrimEnd('}') +
            $$""", "maintenance": [ { "service": "{{name}}", "start": "2026-11-14T12:00:00Z", "duration": "01:00:00", "every": "7.00:00:00" } ] }""";
        await using var app = new MonitorAppFactory(catalog, receivers.Settings());
        fixture.Lab.Switches.Set(name, 500);

        for (var i = 0; i < 5; i++)
        {
            await app.NextCycleAsync();
        }
        var status = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/status/{name}");

        Assert.Equal("maintenance", status.GetProperty("status").GetString());
        Assert.Empty(receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
        var incidents = (await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/services/{name}/incidents")).GetProperty("incidents");
        var planned = Assert.Single(incidents.EnumerateArray());
        Assert.Equal(("maintenance", "maintenance"), (planned.GetProperty("kind").GetString(), planned.GetProperty("cause").GetString()));

        // After the window the failures count again: down after the threshold, with a Down event.
        app.Clock.Advance(TimeSpan.FromHours(1));
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }
        Assert.Equal("down", (await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/status/{name}")).GetProperty("status").GetString());
        Assert.Single(receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
    }

    [Fact]
    public async Task Certificate_ExpiringWithinWarning_OneEventPerCertificate()
    {
        await using var receivers = await AlertReceivers.StartAsync();
        var catalog = $$"""
            { "services": [ { "id": "cert", "name": "Cert", "endpoints": [
                { "id": "tls", "kind": "tls", "host": "127.0.0.1", "port": {{fixture.Lab.HttpsPort}}, "insecureTls": true } ] } ] }
            """;
        await using var app = new MonitorAppFactory(catalog, receivers.Settings());

        for (var i = 0; i < 4; i++)
        {
            await app.NextCycleAsync();
        }

        var warning = Assert.Single(receivers.TopicEvents("ServerlessMonitor.Certificate.Expiring"));
        Assert.Equal(fixture.Lab.CertificateNotAfter, warning.GetProperty("data").GetProperty("certificateExpiry").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        Assert.Equal("services/cert/endpoints/tls", warning.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Reminder_StillDownPastInterval_RemindsOncePerInterval()
    {
        const string name = "mw-reminder";
        await using var receivers = await AlertReceivers.StartAsync();
        var settings = receivers.Settings();
        settings["Alerts:ReminderInterval"] = "00:05:00";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), settings);
        await app.NextCycleAsync();
        fixture.Lab.Switches.Set(name, 500);

        for (var i = 0; i < 3 + 11; i++)
        {
            await app.NextCycleAsync();
        }

        Assert.Single(receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
        var reminders = receivers.TopicEvents("ServerlessMonitor.Endpoint.StillDown");
        Assert.Equal(2, reminders.Count);
        Assert.NotEqual(reminders[0].GetProperty("id").GetString(), reminders[1].GetProperty("id").GetString());
    }
}
