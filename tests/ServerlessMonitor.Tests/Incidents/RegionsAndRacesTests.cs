using System.Net.Http.Json;
using System.Text.Json;
using OutageLab;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>Several writers on one store: probing regions, and racing probe cycles. Runs on both backends.</summary>
[Collection("Azurite")]
public class RegionsAndRacesTests(AzuriteFixture azurite) : LabTest
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task Regions_DownInOneThenBoth_PartialNamingItThenGlobalDown_OneIncidentOneDownEvent(string backend)
    {
        using var dir = new TempDirectory();
        await using var receivers = await AlertReceivers.StartAsync();
        var shared = Backends.Settings(backend, azurite, dir.File("regions.db"), "rg" + Guid.NewGuid().ToString("N")[..8]).With(receivers.Settings());
        // Each region reaches the service through its own path (its own lab switch), as real networks differ.
        await using var eu = new MonitorAppFactory(RegionCatalog("eu-path"), new Dictionary<string, string?>(shared) { ["Monitor:Region"] = "eu" });
        await using var us = new MonitorAppFactory(RegionCatalog("us-path"), new Dictionary<string, string?>(shared) { ["Monitor:Region"] = "us" });
        Lab.Switches.Up("eu-path");
        Lab.Switches.Up("us-path");
        await BothCyclesAsync(eu, us);

        Lab.Switches.Set("eu-path", 500);
        await BothCyclesAsync(eu, us, 3);
        var partial = await eu.CreateClient().GetFromJsonAsync<JsonElement>("/api/status/shop");

        Lab.Switches.Set("us-path", 500);
        await BothCyclesAsync(eu, us, 3);
        var down = await us.CreateClient().GetFromJsonAsync<JsonElement>("/api/status/shop");

        Assert.Equal("partial", partial.GetProperty("status").GetString());
        Assert.Equal(["eu"], partial.GetProperty("downRegions").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("down", down.GetProperty("status").GetString());
        Assert.Equal(["eu", "us"], down.GetProperty("downRegions").EnumerateArray().Select(r => r.GetString()));
        // Each region's own state, as the board holds it for both.
        Assert.Equal([("eu", "down"), ("us", "up")], RegionStates(partial));
        Assert.Equal([("eu", "down"), ("us", "down")], RegionStates(down));
        var incidents = (await eu.CreateClient().GetFromJsonAsync<JsonElement>("/api/services/shop/incidents")).GetProperty("incidents");
        var incident = Assert.Single(incidents.EnumerateArray());
        Assert.Equal(["eu", "us"], incident.GetProperty("regions").EnumerateArray().Select(r => r.GetString()));
        var downEvent = Assert.Single(receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
        Assert.Equal("partial", downEvent.GetProperty("data").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task Race_TwoCyclesOnOneEndpoint_OneIncidentAndOneDownEvent(string backend)
    {
        using var dir = new TempDirectory();
        await using var receivers = await AlertReceivers.StartAsync();
        var settings = Backends.Settings(backend, azurite, dir.File("race.db"), "race" + Guid.NewGuid().ToString("N")[..8]).With(receivers.Settings());
        var catalog = LabCatalog.Switches(Lab, "race");
        await using var a = new MonitorAppFactory(catalog, settings);
        await using var b = new MonitorAppFactory(catalog, settings);
        Lab.Switches.Up("race");
        await BothCyclesAsync(a, b);

        Lab.Switches.Set("race", 500);
        await BothCyclesAsync(a, b, 4);

        var incidents = (await a.CreateClient().GetFromJsonAsync<JsonElement>("/api/services/race/incidents")).GetProperty("incidents");
        Assert.Single(incidents.EnumerateArray());
        Assert.Single(receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
        Assert.Equal("down", (await b.CreateClient().GetFromJsonAsync<JsonElement>("/api/status/race")).GetProperty("status").GetString());
    }

    private static IEnumerable<(string?, string?)> RegionStates(JsonElement status) =>
        status.GetProperty("regions").EnumerateArray().Select(r => (r.GetProperty("region").GetString(), r.GetProperty("status").GetString()));

    private string RegionCatalog(string path) => LabCatalog.Switches(Lab, path)
        .Replace($"\"id\": \"{path}\"", "\"id\": \"shop\"")
        .Replace($"Lab {path}", "Shop");

    /// <summary>Both apps probe at the same moment, concurrently, like two timers firing together.</summary>
    private static async Task BothCyclesAsync(MonitorAppFactory a, MonitorAppFactory b, int cycles = 1)
    {
        for (var i = 0; i < cycles; i++)
        {
            a.Clock.Advance(TimeSpan.FromMinutes(1));
            b.Clock.Advance(TimeSpan.FromMinutes(1));
            await Task.WhenAll(a.FireProbeTimerAsync(), b.FireProbeTimerAsync());
        }
    }
}
