using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.SelfCheck;

/// <summary>
/// Three probing regions (a, b, c) on one store, each reaching the services through its own network: a and b
/// through one lab (a switch per region and service), c through a lab of its own that can be unplugged.
/// </summary>
[Collection("Azurite")]
public class RegionsOfflineTests(AzuriteFixture azurite)
{
    private static readonly string[] Services = ["shop", "mail", "chat"];

    [Fact]
    public async Task OutageSeenFromOneRegion_Partial_NamingThatRegion()
    {
        await using var world = await World.StartAsync(azurite, "sqlite");
        await world.CyclesAsync(1);

        world.Shared.Switches.Set("a-shop", 500);
        await world.CyclesAsync(4);

        var shop = await world.StatusAsync("b", "shop");
        Assert.Equal("partial", shop.GetProperty("status").GetString());
        Assert.Equal(["a"], Names(shop.GetProperty("downRegions")));
        Assert.Equal("partial", Assert.Single(world.Receivers.TopicEvents("ServerlessMonitor.Endpoint.Down")).GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("online", (await world.OverviewAsync("c")).GetProperty("monitor").GetProperty("status").GetString());
    }

    [Fact]
    public async Task OutageSeenFromEveryRegion_Down()
    {
        await using var world = await World.StartAsync(azurite, "sqlite");
        await world.CyclesAsync(1);

        world.Shared.Switches.Set("a-shop", 500);
        world.Shared.Switches.Set("b-shop", 500);
        world.C.Switches.Set("c-shop", 500);
        await world.CyclesAsync(4);

        var shop = await world.StatusAsync("a", "shop");
        Assert.Equal("down", shop.GetProperty("status").GetString());
        Assert.Equal(["a", "b", "c"], Names(shop.GetProperty("downRegions")));
        Assert.Empty(world.Receivers.TopicEvents("ServerlessMonitor.Monitor.Offline"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task OneRegionOffline_OthersSeeEverythingUp_UpThatRegionReportedOfflineNoDown(string backend)
    {
        await using var world = await World.StartAsync(azurite, backend);
        await world.CyclesAsync(1);

        await world.C.UnplugAsync();
        await world.CyclesAsync(4);

        var overview = await world.OverviewAsync("a");
        Assert.Equal("up", overview.GetProperty("status").GetString());
        Assert.All(overview.GetProperty("services").EnumerateArray(), s => Assert.Equal("up", s.GetProperty("status").GetString()));
        var monitor = overview.GetProperty("monitor");
        Assert.Equal(("partial", "c"), (monitor.GetProperty("status").GetString(), monitor.GetProperty("region").GetString()));
        Assert.Equal("Our probes in c cannot reach the internet since 12:02 UTC; statuses come from our other regions (a, b).",
            monitor.GetProperty("message").GetString());
        var offline = Assert.Single(world.Receivers.TopicEvents("ServerlessMonitor.Monitor.Offline"));
        Assert.Equal("monitor/regions/c", offline.GetProperty("subject").GetString());
        Assert.Empty(world.Receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
        Assert.Empty(world.Receivers.TopicEvents("ServerlessMonitor.Service.StatusChanged"));

        await world.C.PlugInAsync();
        // c comes back in the first cycle; the others' snapshots, built concurrently with it, show it from the next.
        await world.CyclesAsync(2);

        Assert.Equal("online", (await world.OverviewAsync("b")).GetProperty("monitor").GetProperty("status").GetString());
        Assert.Single(world.Receivers.TopicEvents("ServerlessMonitor.Monitor.Online"));
        Assert.Empty(world.Receivers.TopicEvents("ServerlessMonitor.Endpoint.Recovered"));
    }

    /// <summary>
    /// An offline region's last "up" would otherwise keep a real outage "partial" until it goes stale (three
    /// intervals and a minute after its last check: still fresh at the last cycle here).
    /// </summary>
    [Fact]
    public async Task OutageInTheOnlineRegionsWhileOneIsOffline_Down_OfflineRegionNotNamed()
    {
        await using var world = await World.StartAsync(azurite, "sqlite");
        await world.CyclesAsync(1);

        await world.C.UnplugAsync();
        world.Shared.Switches.Set("a-shop", 500);
        world.Shared.Switches.Set("b-shop", 500);
        // Down at the third failure; a fourth cycle lets a and b, which go down at the same moment, see each other.
        await world.CyclesAsync(4);

        var shop = await world.StatusAsync("a", "shop");
        Assert.Equal("down", shop.GetProperty("status").GetString());
        Assert.Equal(["a", "b"], Names(shop.GetProperty("downRegions")));
        var down = Assert.Single(world.Receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
        Assert.DoesNotContain("c", Names(down.GetProperty("data").GetProperty("regions")));
    }

    private static IEnumerable<string?> Names(JsonElement array) => array.EnumerateArray().Select(r => r.GetString());

    private sealed class World : IAsyncDisposable
    {
        private readonly TempDirectory _dir;
        private readonly Dictionary<string, MonitorAppFactory> _apps;

        private World(TempDirectory dir, UnpluggableLab shared, UnpluggableLab c, AlertReceivers receivers, Dictionary<string, MonitorAppFactory> apps)
        {
            _dir = dir;
            Shared = shared;
            C = c;
            Receivers = receivers;
            _apps = apps;
        }

        /// <summary>The network of regions a and b.</summary>
        public UnpluggableLab Shared { get; }

        /// <summary>Region c's own network.</summary>
        public UnpluggableLab C { get; }

        public AlertReceivers Receivers { get; }

        public static async Task<World> StartAsync(AzuriteFixture azurite, string backend)
        {
            var dir = new TempDirectory();
            var shared = await UnpluggableLab.StartAsync();
            var c = await UnpluggableLab.StartAsync();
            var receivers = await AlertReceivers.StartAsync();
            var settings = Backends.Settings(backend, azurite, dir.File("regions.db"), "off" + Guid.NewGuid().ToString("N")[..8]).With(receivers.Settings());
            var apps = new[] { ("a", shared), ("b", shared), ("c", c) }.ToDictionary(r => r.Item1, r => new MonitorAppFactory(
                Catalog(r.Item2, r.Item1), new Dictionary<string, string?>(settings)
                {
                    ["Monitor:Region"] = r.Item1,
                    // Each region's control target is on its own network: c cannot reach it while unplugged.
                    ["Monitor:ControlTargets:0"] = r.Item2.Http("/healthy").ToString(),
                }));
            return new World(dir, shared, c, receivers, apps);
        }

        /// <summary>
        /// Every region probes at the same moment, concurrently, a minute after the previous cycle. A region's answers
        /// come from the snapshot it built after its own cycle, so what another region wrote in that same cycle
        /// shows from the next one: the tests run one cycle past the transition they look at.
        /// </summary>
        public async Task CyclesAsync(int cycles)
        {
            for (var i = 0; i < cycles; i++)
            {
                foreach (var app in _apps.Values)
                {
                    app.Clock.Advance(TimeSpan.FromMinutes(1));
                }
                await Task.WhenAll(_apps.Values.Select(a => a.FireProbeTimerAsync()));
            }
        }

        public Task<JsonElement> OverviewAsync(string region) => _apps[region].CreateClient().GetFromJsonAsync<JsonElement>("/api/status");

        public Task<JsonElement> StatusAsync(string region, string service) =>
            _apps[region].CreateClient().GetFromJsonAsync<JsonElement>($"/api/status/{service}");

        public async ValueTask DisposeAsync()
        {
            foreach (var app in _apps.Values)
            {
                await app.DisposeAsync();
            }
            await Receivers.DisposeAsync();
            await Shared.DisposeAsync();
            await C.DisposeAsync();
            _dir.Dispose();
        }

        private static string Catalog(UnpluggableLab network, string region) => $$"""
            { "services": [ {{string.Join(",", Services.Select(s => $$"""
                { "id": "{{s}}", "name": "{{s}}", "endpoints": [
                    { "id": "web", "url": "{{network.Http($"/switch/{region}-{s}")}}", "timeout": "00:00:05", "conditions": ["[STATUS] == 200"] } ] }
                """))}} ] }
            """;
    }
}
