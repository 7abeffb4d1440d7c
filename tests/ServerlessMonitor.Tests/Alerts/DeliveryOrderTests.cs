using Microsoft.AspNetCore.Http;
using OutageLab;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>Per incident and per sink nothing overtakes: a Recovered waits for its Down to be accepted by that sink.</summary>
public sealed class DeliveryOrderTests
{
    [Fact]
    public async Task Recovered_DownStillInBackoffAtTheTopic_TopicSeesDownThenRecoveredEachOnce()
    {
        await using var lab = await OutageLabServer.StartAsync(new ManualClock());
        var topicDown = true;
        var accepted = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var receivers = await AlertReceivers.StartAsync(async (request, response) =>
        {
            if (Volatile.Read(ref topicDown))
            {
                response.StatusCode = 500;
                await response.WriteAsync("topic unavailable");
                return;
            }
            foreach (var e in System.Text.Json.JsonDocument.Parse(request.BodyText).RootElement.EnumerateArray())
            {
                accepted.Enqueue(e.GetProperty("type").GetString()!);
            }
        });
        await using var app = new MonitorAppFactory(LabCatalog.Switches(lab, "api"), receivers.Settings());
        lab.Switches.Up("api");
        await app.NextCycleAsync();
        lab.Switches.Set("api", 500);
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }
        Assert.Equal("down", await app.EndpointStatusAsync("api"));
        // Three more failed attempts at the topic, each when due: the Down's next attempt is now 4 minutes away.
        foreach (var seconds in new[] { 30, 60, 120 })
        {
            app.Clock.Advance(TimeSpan.FromSeconds(seconds));
            await app.FireTimerAsync("AlertsTimer");
        }
        Assert.Empty(accepted);

        Volatile.Write(ref topicDown, false);
        lab.Switches.Up("api");
        await app.NextCycleAsync();
        await app.NextCycleAsync();
        Assert.Equal("up", await app.EndpointStatusAsync("api"));
        for (var i = 0; i < 10; i++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            await app.FireTimerAsync("AlertsTimer");
        }

        var order = accepted
            .Where(t => t is "ServerlessMonitor.Endpoint.Down" or "ServerlessMonitor.Endpoint.Recovered").ToList();
        Assert.Equal(["ServerlessMonitor.Endpoint.Down", "ServerlessMonitor.Endpoint.Recovered"], order);
        // The webhook was never down: it got both at once, in order.
        var hook = receivers.HookEvents().Select(e => e.GetProperty("type").GetString())
            .Where(t => t is "ServerlessMonitor.Endpoint.Down" or "ServerlessMonitor.Endpoint.Recovered").ToList();
        Assert.Equal(["ServerlessMonitor.Endpoint.Down", "ServerlessMonitor.Endpoint.Recovered"], hook);
    }
}
