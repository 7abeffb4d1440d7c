using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ServerlessMonitor.Tests.Alerts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Probing;

/// <summary>Redirect tricks of a probed site, against the running app: loops, bodies re-sent elsewhere, hops inside.</summary>
public class RedirectEndToEndTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private static string Catalog(string url, string extra = "") => $$"""
        { "services": [ { "id": "redirects", "name": "Redirects", "endpoints": [
            { "id": "web", "url": "{{url}}", "failureThreshold": 1{{extra}} } ] } ] }
        """;

    private async Task<JsonElement> ProbeOnceAsync(string catalog)
    {
        await using var app = new MonitorAppFactory(catalog);
        await app.NextCycleAsync();
        return await app.EndpointAsync("redirects");
    }

    [Fact]
    public async Task Probe_RedirectLoop_DownWithErrorKindRedirects()
    {
        var endpoint = await ProbeOnceAsync(Catalog(fixture.Lab.Http("/redirect/loop").ToString()));

        Assert.Equal("down", endpoint.GetProperty("status").GetString());
        Assert.Equal("redirects", endpoint.GetProperty("errorKind").GetString());
        Assert.Contains("more than 10 redirects", endpoint.GetProperty("lastError").GetString());
        Assert.Equal(302, endpoint.GetProperty("httpStatus").GetInt32());
    }

    [Theory]
    [InlineData(10, "up", null)]
    [InlineData(11, "down", "redirects")]
    public async Task Probe_RedirectChain_TenFollowedElevenTooMany(int hops, string status, string? errorKind)
    {
        var endpoint = await ProbeOnceAsync(Catalog(fixture.Lab.Http($"/redirect/chain?n={hops}").ToString()));

        Assert.Equal(status, endpoint.GetProperty("status").GetString());
        Assert.Equal(errorKind, endpoint.GetProperty("errorKind").GetString());
    }

    [Fact]
    public async Task Probe_RedirectWithAnEndlessBody_FollowedWithoutReadingIt()
    {
        // Reading the 302's body first would run into the timeout: "up" means it was left unread.
        var endpoint = await ProbeOnceAsync(Catalog(fixture.Lab.Http("/redirect/endless").ToString(), """, "timeout": "00:00:05" """));

        Assert.Equal("up", endpoint.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Probe_307WithBodyToAnotherPort_NotFollowed_BodyNeverReachesIt()
    {
        await using var other = await LoopbackReceiver.StartAsync();
        var url = fixture.Lab.Http($"/redirect/to?status=307&location={Uri.EscapeDataString(new Uri(other.Url, "/elsewhere").ToString())}");

        var endpoint = await ProbeOnceAsync(Catalog(url.ToString(), """, "method": "POST", "body": "secret-body" """));

        Assert.Equal("down", endpoint.GetProperty("status").GetString());
        Assert.Equal("redirects", endpoint.GetProperty("errorKind").GetString());
        Assert.Contains("would re-send the request body to another host", endpoint.GetProperty("lastError").GetString());
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task Probe_307WithBodyOnTheSameHost_FollowedWithMethodAndBody()
    {
        var url = fixture.Lab.Http("/redirect/to?status=307&location=/echo");

        var endpoint = await ProbeOnceAsync(Catalog(url.ToString(),
            """, "method": "POST", "body": "ping-body", "conditions": ["[STATUS] == 200", "[BODY].method == POST", "[BODY].body == ping-body"] """));

        Assert.Equal("up", endpoint.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Probe_302FromPostToAnotherPort_FollowedAsGetWithoutBodyOrCatalogHeaders()
    {
        await using var other = await LoopbackReceiver.StartAsync();
        var url = fixture.Lab.Http($"/redirect/to?status=302&location={Uri.EscapeDataString(new Uri(other.Url, "/landing").ToString())}");

        var endpoint = await ProbeOnceAsync(Catalog(url.ToString(),
            """, "method": "POST", "body": "secret-body", "headers": { "X-Api-Key": "key-for-the-lab-only", "Accept": "text/plain" } """));

        Assert.Equal("up", endpoint.GetProperty("status").GetString());
        var request = Assert.Single(other.Requests);
        Assert.Equal(("GET", "/landing", ""), (request.Method, request.PathAndQuery, request.BodyText));
        Assert.Null(request.Header("X-Api-Key"));
        Assert.Equal("text/plain", request.Header("Accept"));
        Assert.StartsWith("ServerlessMonitor/", request.Header("User-Agent"));
    }

    [Fact]
    public async Task Probe_RedirectInsideWhenPrivateRedirectsAreRefused_NotFollowed_InternalAnswerNotPublished()
    {
        await using var inside = await LoopbackReceiver.StartAsync((_, response) =>
        {
            response.StatusCode = 200;
            return response.WriteAsync("internal-only-answer");
        });
        var location = Uri.EscapeDataString(new Uri(inside.Url, "/admin").ToString());
        var catalog = Catalog(fixture.Lab.Http($"/redirect/to?location={location}").ToString(),
            """, "allowPrivateRedirects": false, "conditions": ["[STATUS] == 200", "[BODY] == x"] """);
        await using var app = new MonitorAppFactory(catalog);

        await app.NextCycleAsync();

        var endpoint = await app.EndpointAsync("redirects");
        Assert.Equal("redirects", endpoint.GetProperty("errorKind").GetString());
        Assert.Contains("not a public address", endpoint.GetProperty("lastError").GetString());
        Assert.Empty(inside.Requests);
        var checks = await app.CreateClient().GetStringAsync("/api/services/redirects/checks?endpoint=web");
        Assert.DoesNotContain("internal-only-answer", checks);
    }

    [Fact]
    public async Task Probe_InternalTargetRedirectingToAnotherInternalPort_FollowedByDefault()
    {
        await using var inside = await LoopbackReceiver.StartAsync();
        var location = Uri.EscapeDataString(new Uri(inside.Url, "/ok").ToString());

        var endpoint = await ProbeOnceAsync(Catalog(fixture.Lab.Http($"/redirect/to?location={location}").ToString()));

        Assert.Equal("up", endpoint.GetProperty("status").GetString());
        Assert.Single(inside.Requests);
    }
}
