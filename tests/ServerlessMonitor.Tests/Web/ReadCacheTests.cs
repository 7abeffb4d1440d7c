using Microsoft.Extensions.Options;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Tests.Web;

/// <summary>The per-version read cache: keyed by the parameters a handler binds, bounded in bytes.</summary>
public class ReadCacheTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Get_UnknownQueryParameters_SameCachedAnswer()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "cache-junk"));
        await app.NextCycleAsync();
        var client = app.CreateClient();

        using var plain = await client.GetAsync("/api/compare?days=30");
        using var junk = await client.GetAsync("/api/compare?days=30&utm_source=chat&_=1733580000");
        using var other = await client.GetAsync("/api/compare?DAYS=30&fbclid=x");
        using var different = await client.GetAsync("/api/compare?days=31");

        Assert.NotNull(plain.Headers.ETag);
        Assert.Equal(plain.Headers.ETag, junk.Headers.ETag);
        Assert.Equal(plain.Headers.ETag, other.Headers.ETag);
        Assert.NotEqual(plain.Headers.ETag, different.Headers.ETag);
    }

    [Fact]
    public async Task Join_PastByteBudget_ComputesWithoutCaching()
    {
        var cache = new VersionedCache(Options.Create(new WebOptions { ReadCacheBytes = 1024 * 1024 }));
        var big = SnapshotEntry.Create("text/plain", "\"e\"", DateTimeOffset.UnixEpoch, new byte[600 * 1024]);

        Assert.Null(cache.Join("v1", "a", out var first));
        cache.Complete(first!, big);
        Assert.Null(cache.Join("v1", "b", out var second));
        cache.Complete(second!, big);
        var third = cache.Join("v1", "c", out var none);

        Assert.Null(third);
        Assert.Null(none);
        Assert.Same(big, await cache.Join("v1", "a", out _)!);
        Assert.Null(cache.Join("v2", "c", out var fresh));
        Assert.NotNull(fresh);
    }
}
