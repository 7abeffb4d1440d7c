using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.SelfCheck;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Tests.Web;

/// <summary>
/// A build renders again only the services whose probes were recorded since the last one (and the overview and page
/// with them); within the same minute a build with nothing recorded is the previous snapshot itself, read from nothing.
/// </summary>
public class SnapshotIncrementalTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Build_OneServiceProbed_RendersOnlyItsAnswersAndTheSameBytesAsAFullBuild()
    {
        await using var app = TwoServices("inc-a", "inc-b");
        await app.NextCycleAsync(); // 12:01:00, both probed, the first build renders everything
        var snapshots = app.Services.GetRequiredService<ReadSnapshots>();
        var before = snapshots.Current!;

        await app.NextCycleAsync(TimeSpan.FromSeconds(15)); // only the 10-s endpoint is due
        var after = snapshots.Current!;
        var full = await app.Services.GetRequiredService<SnapshotBuilder>().BuildAsync(null, incremental: false, CancellationToken.None);

        Assert.NotEqual(before.Version, after.Version);
        foreach (var kind in new[] { "status/inc-b", "badge/inc-b/status", "badge/inc-b/uptime", "badge/inc-b/response-time" })
        {
            Assert.Same(before.Entries[kind], after.Entries[kind]);
        }
        Assert.NotSame(before.Entries["status/inc-a"], after.Entries["status/inc-a"]);
        Assert.NotSame(before.Entries["page"], after.Entries["page"]);
        // Every answer rendered now is what a full build of the same state answers, byte for byte; the unchanged service's
        // answers are those of the full build a cycle ago (what moves with the clock alone there waits for the next minute).
        Assert.Equal(full.Entries.Keys.Order(), after.Entries.Keys.Order());
        foreach (var (key, entry) in full.Entries.Where(e => !e.Key.Contains("inc-b", StringComparison.Ordinal)))
        {
            Assert.True(entry.Identity.AsSpan().SequenceEqual(after.Entries[key].Identity), $"{key} differs:\n{Encoding.UTF8.GetString(after.Entries[key].Identity)}\nfull build:\n{Encoding.UTF8.GetString(entry.Identity)}");
        }
    }

    [Fact]
    public async Task Publish_NothingRecordedSameMinute_SameSnapshotAndNoStoreRead()
    {
        await using var app = TwoServices("inc-c", "inc-d", CountingTableStore.Install);
        await app.NextCycleAsync();
        var snapshots = app.Services.GetRequiredService<ReadSnapshots>();
        var store = app.Services.GetRequiredService<CountingTableStore>();
        var before = snapshots.Current!;
        var reads = store.Reads;

        app.Clock.Advance(TimeSpan.FromSeconds(5));
        await snapshots.PublishAsync(CancellationToken.None);

        Assert.Same(before, snapshots.Current);
        Assert.Equal(0, store.Reads - reads);
    }

    [Fact]
    public async Task Publish_NothingRecordedNextMinute_RendersEverythingAtTheNewTime()
    {
        await using var app = TwoServices("inc-e", "inc-f");
        await app.NextCycleAsync();
        var snapshots = app.Services.GetRequiredService<ReadSnapshots>();
        var before = snapshots.Current!;

        app.Clock.Advance(TimeSpan.FromSeconds(65));
        await snapshots.PublishAsync(CancellationToken.None);

        Assert.NotSame(before, snapshots.Current);
        Assert.Equal(app.Clock.GetUtcNow(), snapshots.Current!.BuiltAt);
        Assert.NotSame(before.Entries["status"], snapshots.Current.Entries["status"]);
    }

    [Fact]
    public async Task Publish_ReportPosted_NextBuildRendersEveryService()
    {
        await using var app = TwoServices("inc-g", "inc-h");
        await app.NextCycleAsync();
        var snapshots = app.Services.GetRequiredService<ReadSnapshots>();
        var before = snapshots.Current!;

        using var report = await app.CreateClient().PostAsync("/api/services/inc-h/reports",
            new StringContent("""{"kind":"login"}""", Encoding.UTF8, "application/json"));
        report.EnsureSuccessStatusCode();
        app.Clock.Advance(TimeSpan.FromSeconds(5));
        await snapshots.PublishAsync(CancellationToken.None);

        Assert.NotSame(before, snapshots.Current);
        Assert.Contains("1 report(s)", Encoding.UTF8.GetString(snapshots.Current!.Entries["page"].Identity));
    }

    [Fact]
    public async Task Publish_LocationGoesOfflineWithinTheMinute_BannerAtOnce()
    {
        await using var internet = await UnpluggableLab.StartAsync();
        var catalog = internet.DefaultStyleCatalog().Replace("\"timeout\": \"00:00:05\"", "\"interval\": \"00:00:20\", \"timeout\": \"00:00:05\"");
        await using var app = new MonitorAppFactory(catalog, new Dictionary<string, string?> { ["Monitor:ControlTargets:0"] = internet.Http("/healthy").ToString() });
        await app.NextCycleAsync(); // 12:01:00, online
        Assert.DoesNotContain("cannot reach the internet", await app.CreateClient().GetStringAsync("/"), StringComparison.Ordinal);

        await internet.UnplugAsync();
        await app.NextCycleAsync(TimeSpan.FromSeconds(20)); // offline: nothing of this cycle is recorded, yet every answer changed
        var page = await app.CreateClient().GetStringAsync("/");

        Assert.Contains("cannot reach the internet", page, StringComparison.Ordinal);
    }

    /// <summary>Service <paramref name="fast"/> probed every 10 s, <paramref name="slow"/> every 5 minutes.</summary>
    private MonitorAppFactory TwoServices(string fast, string slow, Action<IServiceCollection>? configure = null) =>
        new(LabCatalog.Switches(fixture.Lab, fast, slow)
            .Replace($"/switch/{fast}\", \"interval\": \"00:01:00\"", $"/switch/{fast}\", \"interval\": \"00:00:10\"")
            .Replace($"/switch/{slow}\", \"interval\": \"00:01:00\"", $"/switch/{slow}\", \"interval\": \"00:05:00\""))
        {
            ConfigureServices = configure,
        };
}
