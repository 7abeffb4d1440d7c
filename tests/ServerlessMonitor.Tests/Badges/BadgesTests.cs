using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Xml.Linq;
using ServerlessMonitor.Status;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Badges;

namespace ServerlessMonitor.Tests.Badges;

public class BadgesTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public async Task StatusBadge_UpThenDown_GreenThenRed()
    {
        const string name = "badge-status";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name));
        await app.NextCycleAsync();

        var up = await GetSvgAsync(app, $"/api/badges/{name}/status.svg");
        fixture.Lab.Switches.Set(name, 500);
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }
        var down = await GetSvgAsync(app, $"/api/badges/{name}/status.svg");

        Assert.Equal(("Lab badge-status", "up", "#4c1"), Parts(up));
        Assert.Equal(("Lab badge-status", "down", "#e05d44"), Parts(down));
        Assert.Equal("Lab badge-status: down", down.Root!.Element(Svg + "title")!.Value);
    }

    [Fact]
    public async Task StatusBadge_NeverProbed_UnknownGrey()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "badge-unknown"));

        Assert.Equal(("Lab badge-unknown", "unknown", "#9f9f9f"), Parts(await GetSvgAsync(app, "/api/badges/badge-unknown/status.svg")));
    }

    [Theory]
    [InlineData(HealthStatus.Up, "up", "#4c1")]
    [InlineData(HealthStatus.Degraded, "degraded", "#dfb317")]
    [InlineData(HealthStatus.Partial, "partial", "#fe7d37")]
    [InlineData(HealthStatus.Down, "down", "#e05d44")]
    [InlineData(HealthStatus.Maintenance, "maintenance", "#007ec6")]
    [InlineData(HealthStatus.Unknown, "unknown", "#9f9f9f")]
    public void Status_EachState_ItsColour(HealthStatus status, string text, string color) =>
        Assert.Equal(("TikTok", text, color), BadgesApi.Status("TikTok", status));

    [Theory]
    [InlineData(1.0, "100%", "#4c1")]
    [InlineData(0.99956, "99.95%", "#4c1")]
    [InlineData(0.99999, "99.99%", "#4c1")]
    [InlineData(0.995, "99.5%", "#97ca00")]
    [InlineData(0.98, "98%", "#dfb317")]
    [InlineData(0.96, "96%", "#fe7d37")]
    [InlineData(0.5, "50%", "#e05d44")]
    [InlineData(null, "no data", "#9f9f9f")]
    public void Uptime_Share_TruncatedPercentAndThresholdColour(double? share, string text, string color) =>
        Assert.Equal(("uptime 30d", text, color), BadgesApi.Uptime(share));

    [Theory]
    [InlineData(42.4, "42 ms", "#4c1")]
    [InlineData(420.0, "420 ms", "#97ca00")]
    [InlineData(1200.0, "1200 ms", "#dfb317")]
    [InlineData(2500.0, "2500 ms", "#fe7d37")]
    [InlineData(9000.0, "9000 ms", "#e05d44")]
    [InlineData(null, "no data", "#9f9f9f")]
    public void ResponseTime_P95_MillisecondsAndThresholdColour(double? p95, string text, string color) =>
        Assert.Equal(("p95 24h", text, color), BadgesApi.ResponseTime(p95));

    [Fact]
    public async Task UptimeAndResponseTimeBadges_AfterGoodChecks_HundredPercentAndMilliseconds()
    {
        const string name = "badge-figures";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name));
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }

        var uptime = Parts(await GetSvgAsync(app, $"/api/badges/{name}/uptime.svg"));
        var latency = Parts(await GetSvgAsync(app, $"/api/badges/{name}/response-time.svg"));

        Assert.Equal(("uptime 30d", "100%", "#4c1"), uptime);
        Assert.Equal("p95 24h", latency.Label);
        Assert.Matches("^[0-9]+ ms$", latency.Value);
    }

    [Fact]
    public void Render_TextNeedingEscapes_WellFormedAndWiderForLongerText()
    {
        var svg = BadgesSvg.Render("A <&> \"B\"", "x'y", "#4c1");

        var doc = XDocument.Parse(svg);
        Assert.Equal("A <&> \"B\": x'y", doc.Root!.Element(Svg + "title")!.Value);
        Assert.Equal("A <&> \"B\": x'y", doc.Root.Attribute("aria-label")!.Value);
        Assert.True(BadgesSvg.TextWidth("maintenance") > BadgesSvg.TextWidth("up"));
        Assert.Equal(int.Parse(doc.Root.Attribute("width")!.Value),
            doc.Root.Descendants(Svg + "rect").Where(r => r.Attribute("fill")?.Value is "#555" or "#4c1").Sum(r => int.Parse(r.Attribute("width")!.Value)));
    }

    [Theory]
    [InlineData("/api/badges/nope/status.svg", "Unknown service")]
    [InlineData("/api/badges/badge-404/health.svg", "Unknown badge")]
    public async Task Badge_UnknownServiceOrKind_NotFoundProblem(string path, string title)
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "badge-404"));

        using var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(title, (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Badge_IfNoneMatchWithItsETag_NotModified()
    {
        const string name = "badge-etag";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name));
        await app.NextCycleAsync();
        var client = app.CreateClient();
        using var first = await client.GetAsync($"/api/badges/{name}/status.svg");
        var etag = first.Headers.ETag!;

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/badges/{name}/status.svg");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    private static async Task<XDocument> GetSvgAsync(MonitorAppFactory app, string path)
    {
        using var response = await app.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BadgesSvg.ContentType, response.Content.Headers.ContentType?.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Label text, value text and value colour of a rendered badge.</summary>
    private static (string Label, string Value, string Color) Parts(XDocument svg)
    {
        var texts = svg.Root!.Descendants(Svg + "text").Where(t => t.Attribute("aria-hidden") is null).Select(t => t.Value).ToList();
        var fill = svg.Root.Descendants(Svg + "rect").ElementAt(2).Attribute("fill")!.Value;
        return (texts[0], texts[1], fill);
    }
}
