using System.Net;
using System.Xml.Linq;
using ServerlessMonitor.Tests.Admin;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Feed;

namespace ServerlessMonitor.Tests.Feed;

public class FeedTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task Feed_TwoIncidents_ValidAtomOneEntryEachNewestFirst()
    {
        const string older = "feed-older", newer = "feed-newer";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, older, newer));
        await app.ResolvedOutageAsync(fixture.Lab, older);
        fixture.Lab.Switches.Set(newer, 500);
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }

        using var response = await app.CreateClient().GetAsync("/api/feed.atom");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(Atom + "feed", feed.Name);
        foreach (var required in new[] { "id", "title", "updated", "author" })
        {
            Assert.NotNull(feed.Element(Atom + required));
        }
        Assert.Equal("/api/feed.atom", feed.Elements(Atom + "link").Single(l => l.Attribute("rel")?.Value == "self").Attribute("href")!.Value);
        var entries = feed.Elements(Atom + "entry").ToList();
        Assert.Equal(2, entries.Count);
        Assert.Equal(["Lab feed-newer web: outage — server errors (5xx)", "Lab feed-older web: outage — server errors (5xx)"],
            entries.Select(e => e.Element(Atom + "title")!.Value));
        foreach (var entry in entries)
        {
            Assert.StartsWith("urn:serverlessmonitor:default:incident:", entry.Element(Atom + "id")!.Value);
            Assert.True(Uri.IsWellFormedUriString(entry.Element(Atom + "id")!.Value, UriKind.Absolute));
            Assert.True(DateTimeOffset.TryParse(entry.Element(Atom + "updated")!.Value, out _));
            Assert.NotNull(entry.Element(Atom + "published"));
            Assert.NotNull(entry.Element(Atom + "summary"));
            Assert.Equal("xhtml", entry.Element(Atom + "content")!.Attribute("type")!.Value);
        }
        var resolved = entries[1].Element(Atom + "content")!.Value;
        Assert.Contains("Duration2 min", resolved);
        Assert.Contains("local", resolved);
        Assert.Contains("HTTP 500", resolved);
        Assert.Contains("ongoing", entries[0].Element(Atom + "summary")!.Value);
        Assert.Equal(entries.Max(e => DateTimeOffset.Parse(e.Element(Atom + "updated")!.Value)), DateTimeOffset.Parse(feed.Element(Atom + "updated")!.Value));
    }

    [Fact]
    public async Task Feed_NoIncidents_ValidEmptyFeed()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "feed-empty"));

        var feed = XDocument.Parse(await app.CreateClient().GetStringAsync("/api/feed.atom")).Root!;

        Assert.Equal(Atom + "feed", feed.Name);
        Assert.Empty(feed.Elements(Atom + "entry"));
        Assert.Equal("urn:serverlessmonitor:default:incidents", feed.Element(Atom + "id")!.Value);
    }

    [Fact]
    public async Task Feed_ForgedHost_LinksNeverNameIt()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "feed-host"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/feed.atom");
        request.Headers.Host = "evil.example";

        using var response = await app.CreateClient().SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("evil.example", body);
        var links = XDocument.Parse(body).Root!.Elements(Atom + "link").Select(l => l.Attribute("href")!.Value).ToList();
        Assert.Equal(["/api/feed.atom", "/"], links);
    }

    [Fact]
    public async Task Feed_StatusPageUrlConfigured_AbsoluteLinksFromIt()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "feed-base"),
            new Dictionary<string, string?> { ["Alerts:StatusPageUrl"] = "https://status.example.org/" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/feed.atom");
        request.Headers.Host = "evil.example";

        var feed = XDocument.Parse(await (await app.CreateClient().SendAsync(request)).Content.ReadAsStringAsync()).Root!;

        var links = feed.Elements(Atom + "link").Select(l => l.Attribute("href")!.Value).ToList();
        Assert.Equal(["https://status.example.org/api/feed.atom", "https://status.example.org/"], links);
    }

    [Theory]
    [InlineData(0.4, "0 s")]
    [InlineData(45, "45 s")]
    [InlineData(180, "3 min")]
    [InlineData(3600, "1 h")]
    [InlineData(3900, "1 h 5 min")]
    [InlineData(86400 * 2 + 3600 * 3, "2 d 3 h")]
    public void Duration_Seconds_ReadableText(double seconds, string text) =>
        Assert.Equal(text, FeedAtomWriter.Duration(TimeSpan.FromSeconds(seconds)));
}
