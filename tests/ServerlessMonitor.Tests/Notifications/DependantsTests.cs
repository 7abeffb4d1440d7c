using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OutageLab;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>
/// The dependency's messages list the services folded into it ("also affected: …"), and the dependants' endpoint incident
/// rows (the history) name the dependency as their cause. One dependant comes before the dependency in the catalog (its
/// incident is written before the dependency's opens), one after (the dependency's pending opening message is updated).
/// </summary>
[Collection("Azurite")]
public sealed class DependantsTests(AzuriteFixture azurite) : LabTest
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task Outage_DependencyAndDependantsDown_DependencyMessageListsDependantsAndTheirIncidentRowsNameIt(string backend)
    {
        var (db, first, second) = ($"db-{backend}", $"shop-{backend}", $"search-{backend}");
        using var dir = new TempDirectory();
        await using var slack = await ChannelRig.FakeAsync(ChannelKind.Slack);
        await using var receivers = await AlertReceivers.StartAsync();
        var settings = ChannelRig.Settings(ChannelKind.Slack, slack.Url, "ops").With(receivers.Settings())
            .With(Backends.Settings(backend, azurite, dir.File("d.db"), "dp" + Guid.NewGuid().ToString("N")[..8]));
        var catalog = NotificationLab.Catalog(Lab, [(first, ["web"], db), (db, ["db"], null), (second, ["api"], db)]);
        await using var app = new MonitorAppFactory(catalog, settings);

        await app.NextCycleAsync();
        Set([$"{db}-db", $"{first}-web", $"{second}-api"], 500);
        await app.NextCycleAsync();
        await app.NextCycleAsync();
        Set([$"{db}-db", $"{first}-web", $"{second}-api"], 200);
        await app.NextCycleAsync();
        await app.NextCycleAsync();

        // Slack: the dependency's down and recovery only, both naming the dependants (in id order).
        Assert.Empty(slack.Rejected);
        var texts = slack.Accepted.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.True(texts.Count == 2, string.Join("\n", texts.Select(t => t.GetProperty("text").GetString())));
        Assert.True(texts[0].GetProperty("text").GetString()!.Contains($"also affected: {second}, {first}", StringComparison.Ordinal), texts[0].GetRawText());
        Assert.Contains($"{second}, {first}", texts[1].GetRawText(), StringComparison.Ordinal);
        foreach (var type in new[] { "ServerlessMonitor.Service.Down", "ServerlessMonitor.Service.Recovered" })
        {
            var data = receivers.TopicEvents(type).Select(e => e.GetProperty("data")).Single(d => d.GetProperty("service").GetString() == db);
            Assert.Equal([second, first], data.GetProperty("dependants").EnumerateArray().Select(e => e.GetString()));
        }

        // The history of both dependants names the dependency as the cause, also after they recovered.
        var reader = app.Services.GetRequiredService<IncidentReader>();
        foreach (var dependant in new[] { first, second })
        {
            var service = app.Services.GetRequiredService<CatalogProvider>().Current.FindService(dependant)!;
            var incident = Assert.Single(await reader.ReadAsync(service, DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddYears(50), CancellationToken.None));
            Assert.NotNull(incident.End);
            Assert.Equal(LikelyCause.Dependency, incident.Cause);
            Assert.Equal($"dependency {db} is down", incident.CauseLabel);
        }
    }

    private void Set(IEnumerable<string> switches, int status)
    {
        foreach (var s in switches)
        {
            Lab.Switches.Set(s, status);
        }
    }
}
