using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Reports;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Reports;

public class ReportsRateLimitTests
{
    [Fact]
    public async Task Post_BurstOverTheLimit_TooManyRequestsWithRetryAfterAndProblemDetails()
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, new Dictionary<string, string?>
        {
            ["Reports:PermitLimit"] = "3",
            ["Reports:Window"] = "00:01:00",
        });
        var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.PostAsync("app", userAgent: $"agent-{i}")).StatusCode);
        }
        var rejected = await client.PostAsync("app", userAgent: "agent-late");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        var retryAfter = rejected.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
        Assert.Equal("application/problem+json", rejected.Content.Headers.ContentType?.MediaType);
        var problem = await rejected.JsonAsync();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("Too many reports", problem.GetProperty("title").GetString());

        // Reading is not limited, and the rejected report was not counted.
        var reports = await client.GetAsync("/api/services/svc/reports");
        Assert.Equal(HttpStatusCode.OK, reports.StatusCode);
        Assert.Equal(3, (await reports.JsonAsync()).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("203.0.113.7", null, false, "203.0.113.7")]
    [InlineData("127.0.0.1", "198.51.100.1, 203.0.113.9", true, "203.0.113.9")]
    [InlineData("127.0.0.1", "203.0.113.9:51234", true, "203.0.113.9")]
    [InlineData("127.0.0.1", "[2001:db8:1:2:3:4:5:6]:443", true, "2001:db8:1:2::/64")]
    [InlineData("127.0.0.1", "203.0.113.9", false, "127.0.0.1")]
    [InlineData("198.51.100.1", "203.0.113.9", true, "198.51.100.1")]
    [InlineData("127.0.0.1", "not an address", true, "127.0.0.1")]
    [InlineData("::ffff:192.0.2.1", null, false, "192.0.2.1")]
    [InlineData("2001:db8::abcd", null, false, "2001:db8::/64")]
    [InlineData(null, "203.0.113.9", true, "unknown")]
    public void AddressOf_PeerAndForwardedFor_TrustsOnlyTheNearestProxyBehindLoopback(string? peer, string? forwardedFor, bool trust,
        string expected)
    {
        var identity = new ClientIdentity(null!, null!, Options.Create(new ReportsOptions { TrustForwardedFor = trust }), Options.Create(new ProxyOptions()));
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = peer is null ? null : IPAddress.Parse(peer);
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        Assert.Equal(expected, identity.AddressOf(context));
    }

    [Theory]
    [InlineData("10.1.2.3", "203.0.113.9", "203.0.113.9")] // a configured proxy: its entry is believed
    [InlineData("10.1.2.3", "198.51.100.7, 203.0.113.9, 10.9.9.9", "203.0.113.9")] // past a chain of trusted proxies, no further
    [InlineData("192.0.2.50", "203.0.113.9", "192.0.2.50")] // anyone else: the header is whatever the client claimed
    [InlineData("127.0.0.1", "203.0.113.9", "127.0.0.1")] // loopback is not trusted unless listed (standalone)
    [InlineData("::ffff:10.1.2.3", "203.0.113.9", "203.0.113.9")]
    [InlineData("10.1.2.3", "10.0.0.4", "10.0.0.4")] // only proxies in the header: the leftmost one seen
    public void AddressOf_TrustedProxies_ForwardedForOnlyFromThem(string peer, string forwardedFor, string expected)
    {
        var identity = new ClientIdentity(null!, null!, Options.Create(new ReportsOptions { TrustForwardedFor = false }),
            Options.Create(new ProxyOptions { TrustedProxies = ["10.0.0.0/8", "2001:db8::1"] }));
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        context.Request.Headers["X-Forwarded-For"] = forwardedFor;

        Assert.Equal(expected, identity.AddressOf(context));
    }

    [Fact]
    public void Validate_TrustedProxyNotAnAddress_ErrorNamesEntry()
    {
        var options = new ProxyOptions { TrustedProxies = ["10.0.0.0/8", "proxy.internal"] };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Equal("Web:TrustedProxies:1: 'proxy.internal' is not an IP address or a CIDR range such as 10.0.0.0/8", Assert.Single(errors).ErrorMessage);
    }
}
