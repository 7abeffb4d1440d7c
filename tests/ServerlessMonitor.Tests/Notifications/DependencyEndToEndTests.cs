using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>dependsOn on the lab: a dependency down silences its dependants' channel messages and is named as their cause.</summary>
public class DependencyEndToEndTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private const string Db = "dep-db";
    private const string App = "dep-app";
    private static readonly string[] AppEndpoints = ["web", "api"];

    [Fact]
    public async Task Outage_DependencyDown_DependantsFoldedIntoItsMessageAndNameItAsCause()
    {
        await using var providers = await NotificationLab.StartAsync();
        await using var receivers = await AlertReceivers.StartAsync();
        var settings = providers.Settings();
        foreach (var (k, v) in receivers.Settings())
        {
            settings[k] = v;
        }
        await using var app = new MonitorAppFactory(NotificationLab.Catalog(fixture.Lab, [(Db, ["db"], null), (App, AppEndpoints, Db)]), settings);

        await app.NextCycleAsync();
        Set(500);
        await app.NextCycleAsync();
        await app.NextCycleAsync();
        var status = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/status/{App}");
        var page = await app.CreateClient().GetStringAsync("/");
        Set(200);
        await app.NextCycleAsync();
        await app.NextCycleAsync();

        // One down and one recovery per channel: the dependency's. The dependant sent nothing of its own.
        foreach (var (kind, fake) in providers.Fakes)
        {
            Assert.Empty(fake.Rejected);
            Assert.True(fake.Accepted.Count == 2, $"{kind}: {fake.Accepted.Count} messages: {string.Join(" | ", fake.Accepted.Select(r => r.BodyText))}");
            Assert.All(fake.Accepted, r => Assert.DoesNotContain($"Lab {App}", r.BodyText, StringComparison.Ordinal));
        }
        Assert.Equal([$"Lab {Db} is down", $"Lab {Db} is back after 2 min"], providers.Smtp.Messages.Select(m => m.Subject));

        // The dependant's incident is recorded with the dependency as its cause (machines still get its events).
        var down = receivers.TopicEvents("ServerlessMonitor.Service.Down").Select(e => e.GetProperty("data"))
            .Single(d => d.GetProperty("service").GetString() == App);
        Assert.Equal($"dependency {Db} is down", down.GetProperty("likelyCause").GetString());
        Assert.Equal(2, receivers.TopicEvents("ServerlessMonitor.Service.Recovered").Count);

        // The status API and the page show the dependency as the cause.
        Assert.Equal("down", status.GetProperty("status").GetString());
        Assert.Equal($"dependency {Db} is down", status.GetProperty("incident").GetProperty("likelyCause").GetString());
        Assert.Contains($"likely cause: dependency {Db} is down", page, StringComparison.Ordinal);
        NotificationsEndToEndTests.AssertNoSecretLogged(app);
    }

    private void Set(int status)
    {
        fixture.Lab.Switches.Set($"{Db}-db", status);
        foreach (var e in AppEndpoints)
        {
            fixture.Lab.Switches.Set($"{App}-{e}", status);
        }
    }
}
