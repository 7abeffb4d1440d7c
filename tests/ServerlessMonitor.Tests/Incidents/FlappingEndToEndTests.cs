using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>A lab switch flipped every minute: the app flaps, says so, holds back Down/Recovered, and settles.</summary>
public class FlappingEndToEndTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Flapping_SwitchFlippedEveryCycle_OneFlappingEventThenOneDownOnceSettled()
    {
        const string name = "e2e-flapping";
        await using var receivers = await AlertReceivers.StartAsync();
        var settings = receivers.Settings();
        settings["Monitor:Flapping:StablePeriod"] = "00:05:00";
        await using var app = new MonitorAppFactory(Catalog(name), settings);

        await app.NextCycleAsync();
        for (var i = 1; i <= 7; i++)
        {
            fixture.Lab.Switches.Set(name, i % 2 == 1 ? 500 : 200);
            await app.NextCycleAsync();
        }
        var flapping = await app.EndpointAsync(name);
        var page = await app.CreateClient().GetStringAsync("/");
        for (var i = 0; i < 5; i++)
        {
            await app.NextCycleAsync();
        }
        var settled = await app.EndpointAsync(name);

        // Written to the outbox, in order: four alerts, the Flapping that replaced the fifth, the settled Down.
        var outbox = await OutboxAsync(app, $"{name}.web");
        Assert.Equal(["Down", "Recovered", "Down", "Recovered", "Flapping", "Down"], outbox.Select(e => e.Type["ServerlessMonitor.Endpoint.".Length..]));
        var flap = outbox[4];
        Assert.Equal(("down", "up"), (flap.Data.Status, flap.Data.PreviousStatus));
        Assert.Equal("5 status changes within 30 min", flap.Data.Evidence);
        var down = outbox[5];
        Assert.Equal(flap.Time.AddMinutes(7), down.Time);
        Assert.Equal(flap.Time.AddMinutes(2), down.Data.Start);
        Assert.Equal(down.Data.IncidentId, settled.GetProperty("incident").GetProperty("id").GetString());

        // Subscribers got the same events.
        Assert.Single(receivers.HookEvents(AlertTypes.EndpointFlapping));
        Assert.Equal(3, receivers.TopicEvents(AlertTypes.EndpointDown).Count);

        Assert.True(flapping.GetProperty("flapping").GetBoolean());
        Assert.Equal(flap.Data.Start, flapping.GetProperty("flappingSince").GetDateTimeOffset());
        Assert.Contains(">unstable</span>", page);
        Assert.False(settled.GetProperty("flapping").GetBoolean());
        Assert.Equal("down", settled.GetProperty("status").GetString());
    }

    private static async Task<List<AlertEvent>> OutboxAsync(MonitorAppFactory app, string partition)
    {
        var store = app.Services.GetRequiredService<ITableStore>();
        var tables = app.Services.GetRequiredService<MonitorTables>();
        var alerts = new List<AlertEvent>();
        await foreach (var row in store.QueryAllAsync(tables.Endpoints, partition, OutboxRows.Range))
        {
            alerts.Add(OutboxRows.TryDeserialize(row.GetString(OutboxRows.EventProperty))!);
        }
        return alerts.OrderBy(a => a.Time).ToList();
    }

    private string Catalog(string name) => $$"""
        { "services": [ { "id": "{{name}}", "name": "Lab {{name}}", "category": "lab", "endpoints": [
            { "id": "web", "kind": "http", "url": "{{fixture.Lab.Http($"/switch/{name}")}}", "interval": "00:01:00", "timeout": "00:00:05",
              "conditions": ["[STATUS] == 200"], "failureThreshold": 1, "successThreshold": 1 } ] } ] }
        """;
}
