using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Status;

/// <summary>
/// Two regions' instances publish the same endpoint's global change side by side (the flaky
/// RegionsAndRacesTests.Regions_DownInOneThenBoth_... once saw "partial" after both were down): whichever board write
/// lands last, the board shows the newest revision of the global row.
/// </summary>
[Collection("Azurite")]
public sealed class BoardRevisionTests(AzuriteFixture azurite)
{
    private const string CatalogJson = """{ "services": [ { "id": "shop", "name": "Shop", "endpoints": [ { "id": "web", "url": "http://127.0.0.1:9/" } ] } ] }""";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task PublishGlobalAsync_OlderRevisionLandsLast_BoardKeepsTheNewer(string backend)
    {
        using var dir = new TempDirectory();
        await using var app = new MonitorAppFactory(CatalogJson, Backends.Settings(backend, azurite, dir.File("r.db"), "rv" + Guid.NewGuid().ToString("N")[..8]));
        var board = app.Services.GetRequiredService<StatusBoard>();
        var writer = app.Services.GetRequiredService<BoardWriter>();
        var catalog = app.Services.GetRequiredService<CatalogProvider>().Current;
        var now = app.Clock.GetUtcNow();
        var partial = Change(catalog, now, revision: 1, HealthStatus.Partial, ["eu"]);
        var down = Change(catalog, now, revision: 2, HealthStatus.Down, ["eu", "us"]);

        Assert.Equal(GlobalPublish.Written, await writer.PublishGlobalAsync(down, default));
        Assert.Equal(GlobalPublish.Superseded, await writer.PublishGlobalAsync(partial, default));

        var row = (await board.ReadAsync(default))["shop.web"];
        Assert.Equal(HealthStatus.Down, row.Status);
        Assert.Equal(["eu", "us"], row.DownRegions);
    }

    private static RecordedProbe Change(MonitorCatalog catalog, DateTimeOffset now, long revision, HealthStatus status, string[] down)
    {
        var service = catalog.Services.Single();
        var observation = new Observation(ProbeOutcome.Down, new ProbeResponse(), [], "HTTP 500", ErrorKind.HttpStatus, now, 1);
        var state = new GlobalState(status, now, null, null) { Revision = revision };
        var global = new GlobalOutcome(GlobalState.Initial, state, new GlobalView(status, down, ["eu", "us"]),
            TableOperation.Update(state.ToEntity("shop.web", "*")), [], []);
        return new RecordedProbe(service, service.Endpoints.Single(), EndpointState.Initial, EndpointState.Initial, observation, global);
    }
}
