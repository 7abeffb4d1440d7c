using System.Net;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Web;

public class PublicRateLimitTests
{
    private const string Catalog = """{ "services": [ { "id": "svc", "name": "Svc", "endpoints": [ { "id": "web", "url": "http://127.0.0.1:9/" } ] } ] }""";

    [Fact]
    public async Task PublicApi_BurstOverLimit_429WithRetryAfterWhileHealthStaysOpen()
    {
        await using var app = new MonitorAppFactory(Catalog, new Dictionary<string, string?> { ["Web:RequestsPerMinute"] = "5" });
        var client = app.CreateClient();

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var r = await client.GetAsync(i % 2 == 0 ? "/api/status" : "/");
            codes.Add(r.StatusCode);
        }
        using var limited = await client.GetAsync("/api/status/svc");
        using var health = await client.GetAsync("/api/health");

        Assert.Equal(5, codes.Count(c => c == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
