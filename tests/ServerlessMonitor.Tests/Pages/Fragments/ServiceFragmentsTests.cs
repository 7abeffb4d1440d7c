using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Pages.Fragments;
using ServerlessMonitor.ReadModel;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Tests.Pages.Fragments;

/// <summary>
/// A service's section and list row are rendered once per change of what they show and taken as they are by every page
/// that shows the service; the pages put together from kept fragments are byte for byte what a render from nothing gives.
/// </summary>
public sealed class ServiceFragmentsTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Publish_EverythingMarkedChangedSameMinute_RendersNoFragmentAndTheSamePages()
    {
        await using var app = Services("frag-steady", 3, fastIndex: 0);
        await app.NextCycleAsync(); // 12:01:00: everything probed and rendered
        var snapshots = app.Services.GetRequiredService<ReadSnapshots>();
        var cache = app.Services.GetRequiredService<FragmentCache>();
        var before = snapshots.Current!;
        var renders = cache.Renders;

        app.Services.GetRequiredService<ChangedServices>().Everything(); // as after an admin change: every answer is rendered again
        app.Clock.Advance(TimeSpan.FromSeconds(5));
        await snapshots.PublishAsync(CancellationToken.None);
        var after = snapshots.Current!;

        Assert.NotSame(before, after); // the build ran
        Assert.Equal(0, cache.Renders - renders);
        foreach (var key in new[] { "page", "service-page/frag-steady-0", "service-page/frag-steady-2" })
        {
            Assert.True(before.Entries[key].Identity.AsSpan().SequenceEqual(after.Entries[key].Identity), $"{key} changed");
        }
    }

    [Fact]
    public async Task Publish_OneOfAThousandServicesChanged_RendersItsSectionAndRowOnlyAndTheSameBytesAsARenderFromNothing()
    {
        const string prefix = "frag-k";
        await using var app = Services(prefix, 1000, fastIndex: 500);
        await app.NextCycleAsync(); // 12:01:00: all 1,000 probed, the compact list and 1,000 service pages rendered
        var snapshots = app.Services.GetRequiredService<ReadSnapshots>();
        var cache = app.Services.GetRequiredService<FragmentCache>();
        var before = snapshots.Current!;
        var renders = cache.Renders;

        fixture.Lab.Switches.Set($"{prefix}-500", 500); // the fast service goes down: its section and its row show it
        await app.NextCycleAsync(TimeSpan.FromSeconds(15)); // only its endpoint is due
        var after = snapshots.Current!;

        Assert.Equal(2, cache.Renders - renders); // one section, one row: not 1,000 of either
        Assert.Contains($"{prefix}-500", Encoding.UTF8.GetString(after.Entries["page"].Identity), StringComparison.Ordinal); // down: first on page 1
        Assert.NotSame(before.Entries[$"service-page/{prefix}-500"], after.Entries[$"service-page/{prefix}-500"]);
        Assert.Same(before.Entries[$"service-page/{prefix}-499"], after.Entries[$"service-page/{prefix}-499"]);

        // From nothing: no kept fragment, no previous snapshot. Every answer the incremental build rendered is the same.
        cache.KeepOnly(new HashSet<string>());
        var scratch = await app.Services.GetRequiredService<SnapshotBuilder>().BuildAsync(null, incremental: false, CancellationToken.None);
        Assert.Equal(scratch.Entries.Keys.Order(), after.Entries.Keys.Order());
        foreach (var (key, entry) in after.Entries.Where(e => !ReferenceEquals(e.Value, before.Entries.GetValueOrDefault(e.Key))))
        {
            Assert.True(entry.Identity.AsSpan().SequenceEqual(scratch.Entries[key].Identity),
                $"{key} differs:\n{Encoding.UTF8.GetString(entry.Identity)}\nfrom nothing:\n{Encoding.UTF8.GetString(scratch.Entries[key].Identity)}");
        }
        Assert.True(cache.Renders - renders > 1000); // the build from nothing rendered every section again
    }

    [Fact]
    public async Task Publish_Cycle_CompressesNothingUntilAskedThenOnce()
    {
        await using var app = Services("frag-zip", 2, fastIndex: 0);
        await app.NextCycleAsync();
        var page = app.Services.GetRequiredService<ReadSnapshots>().Current!.Entries["page"];
        Assert.False(page.Compressed);

        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "br");
        using var response = await client.SendAsync(request);

        Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.True(page.Compressed);
        Assert.Same(page.BrotliBytes(), page.BrotliBytes());
    }

    /// <summary><paramref name="count"/> services, the one at <paramref name="fastIndex"/> probed every 10 s, the others every 5 minutes.</summary>
    private MonitorAppFactory Services(string prefix, int count, int fastIndex)
    {
        var names = Enumerable.Range(0, count).Select(i => $"{prefix}-{i}").ToArray();
        var fast = names[fastIndex];
        foreach (var name in names)
        {
            fixture.Lab.Switches.Set(name, 200);
        }
        var catalog = LabCatalog.Switches(fixture.Lab, names)
            .Replace("\"interval\": \"00:01:00\"", "\"interval\": \"00:05:00\", \"failureThreshold\": 1")
            .Replace($"/switch/{fast}\", \"interval\": \"00:05:00\"", $"/switch/{fast}\", \"interval\": \"00:00:10\"");
        return new MonitorAppFactory(catalog);
    }
}
