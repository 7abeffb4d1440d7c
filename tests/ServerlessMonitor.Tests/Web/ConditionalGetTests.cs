using System.Net;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Web;

public class ConditionalGetTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Get_MatchingIfNoneMatch_304UntilTheDataChanges()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "etag"));
        await app.NextCycleAsync();
        var client = app.CreateClient();

        using var first = await client.GetAsync("/api/status/etag");
        var etag = first.Headers.ETag;
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/status/etag");
        again.Headers.IfNoneMatch.Add(etag!);
        using var notModified = await client.SendAsync(again);
        await app.NextCycleAsync();
        using var afterChange = new HttpRequestMessage(HttpMethod.Get, "/api/status/etag");
        afterChange.Headers.IfNoneMatch.Add(etag!);
        using var changed = await client.SendAsync(afterChange);

        Assert.NotNull(etag);
        Assert.Equal("public, max-age=15, stale-while-revalidate=30", first.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    [Fact]
    public async Task Get_FromAnotherOrigin_CorsAllowsReading()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "cors"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/status");
        request.Headers.Add("Origin", "https://news.example.org");

        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
