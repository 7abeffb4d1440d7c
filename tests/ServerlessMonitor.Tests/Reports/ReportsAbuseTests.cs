using System.Net;
using System.Text;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Reports;

/// <summary>Forged reports: other sites posting in their visitors' names, and one client posing as a crowd.</summary>
public class ReportsAbuseTests
{
    private const string Body = """{"kind":"app","message":"down?"}""";

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData(null)]
    public async Task Post_NotJson_UnsupportedMediaType_NotCounted(string? contentType)
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings());
        var client = app.CreateClient();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await client.PostAsync("/api/services/svc/reports", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("Content-Type", (await response.JsonAsync()).GetProperty("header").GetString());
        Assert.Equal(0, (await client.GetReportsAsync()).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    [InlineData("http://localhost:8080")]
    [InlineData("http://localhost.evil.example")]
    public async Task Post_ForeignOrigin_ForbiddenWithoutCorsHeaders_NotCounted(string origin)
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings());
        var client = app.CreateClient();

        using var response = await PostWithOriginAsync(client, origin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(0, (await client.GetReportsAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Post_FromTheStatusPagesOwnOrigin_Accepted()
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings());

        using var response = await PostWithOriginAsync(app.CreateClient(), "http://localhost");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Post_FromAnAllowedOrigin_AcceptedWithItsCorsHeader_PreflightOnlyForIt()
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings(new Dictionary<string, string?>
        {
            ["Reports:AllowedOrigins:0"] = "https://Partner.example/",
        }));
        var client = app.CreateClient();

        using var partnerPreflight = await PreflightAsync(client, "https://partner.example");
        using var evilPreflight = await PreflightAsync(client, "https://evil.example");
        using var posted = await PostWithOriginAsync(client, "https://partner.example");

        Assert.Equal("https://partner.example", Assert.Single(partnerPreflight.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("POST", partnerPreflight.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.False(evilPreflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal("https://partner.example", Assert.Single(posted.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task Post_OneAddressRotatingUserAgents_EachCountedButNoSurgeAndNoAlert()
    {
        await using var receivers = await AlertReceivers.StartAsync();
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings(receivers.Settings()));
        var attacker = app.ClientFrom("198.51.100.23");

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await attacker.PostAsync("app", userAgent: $"Mozilla/5.0 (rotating {i})")).StatusCode);
        }

        var current = (await attacker.GetReportsAsync()).GetProperty("current");
        Assert.Equal(20, current.GetProperty("reports").GetInt32());
        Assert.Equal(1, current.GetProperty("networks").GetInt32());
        Assert.False(current.GetProperty("surge").GetBoolean());
        Assert.Empty(receivers.TopicEvents("ServerlessMonitor.Reports.Surge"));
    }

    [Fact]
    public async Task Post_ManyAddressesOfOneNetwork_NoSurge_ThreeNetworks_Surge()
    {
        await using var receivers = await AlertReceivers.StartAsync();
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings(receivers.Settings()));

        // One IPv4 /24 and one IPv6 /48, however many addresses: two networks.
        foreach (var address in new[] { "198.51.100.1", "198.51.100.2", "198.51.100.250", "2001:db8:7:1::1", "2001:db8:7:2::1", "2001:db8:7:ffff::9" })
        {
            await app.ClientFrom(address).PostAsync("feed");
        }
        var before = (await app.CreateClient().GetReportsAsync()).GetProperty("current");
        await app.ClientFrom("192.0.2.77").PostAsync("feed");
        var after = (await app.CreateClient().GetReportsAsync()).GetProperty("current");

        Assert.Equal((6, 2, false), (before.GetProperty("reports").GetInt32(), before.GetProperty("networks").GetInt32(), before.GetProperty("surge").GetBoolean()));
        Assert.Equal((7, 3, true), (after.GetProperty("reports").GetInt32(), after.GetProperty("networks").GetInt32(), after.GetProperty("surge").GetBoolean()));
        var surge = Assert.Single(receivers.TopicEvents("ServerlessMonitor.Reports.Surge"));
        Assert.Contains("from 3 networks", surge.GetProperty("data").GetProperty("evidence").GetString());
    }

    private static async Task<HttpResponseMessage> PostWithOriginAsync(HttpClient client, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/services/svc/reports")
        {
            Content = new StringContent(Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", origin);
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PreflightAsync(HttpClient client, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/services/svc/reports");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return await client.SendAsync(request);
    }
}
