using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Pages;
using ServerlessMonitor.Status;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Tests.Pages;

/// <summary>
/// The page as the snapshot holds it: each browser check is an empty, hidden element carrying the URL, the mode,
/// the monitor's verdict and both possible answers, and the Content-Security-Policy allows exactly the page's own
/// inline code and the configured check origins.
/// </summary>
public partial class StatusPageVisitorCheckTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Page_BrowserChecks_ElementsWithDataAndPolicyNamingExactlyTheirOrigins()
    {
        var lab = fixture.Lab;
        lab.Switches.Set("vc-fetch", 500);
        await using var app = new MonitorAppFactory($$"""
            { "services": [
                {{Service("vc-image", $$"""{ "url": "{{lab.Http("/favicon.png")}}" }""")}},
                {{Service("vc-image2", $$"""{ "url": "{{lab.Http("/favicon.png?size=2")}}", "mode": "image" }""")}},
                {{Service("vc-fetch", $$"""{ "url": "{{lab.Https("/healthy")}}", "mode": "fetch" }""")}},
                {{Service("vc-none", null)}} ] }
            """);
        await app.NextCycleAsync();

        var html = await PageAsync(app);

        var image = Element(html, "vc-image");
        Assert.Equal(lab.Http("/favicon.png").AbsoluteUri, image["data-check-url"]);
        Assert.Equal("image", image["data-check-mode"]);
        Assert.Equal("up", image["data-monitor"]);
        Assert.Equal("Up for us and for you", image["data-reachable"]);
        Assert.Equal("Up for us, but not reachable from your network — likely your connection, DNS or a block", image["data-unreachable"]);
        Assert.True(image.ContainsKey("hidden"));
        var fetch = Element(html, "vc-fetch");
        Assert.Equal(("fetch", "down"), (fetch["data-check-mode"], fetch["data-monitor"]));
        Assert.Equal(("Down for everyone we can see", "Down for everyone we can see"), (fetch["data-reachable"], fetch["data-unreachable"]));
        Assert.DoesNotContain("visitor-check", Section(html, "vc-none"));
        // Without JavaScript nothing is said about the visitor's side: every check element is empty.
        Assert.All(CheckElements().Matches(html), m => Assert.Empty(m.Groups["text"].Value));

        var policy = Policy(html);
        Assert.Equal($"http://127.0.0.1:{lab.HttpPort}", policy["img-src"]);
        Assert.Equal($"'self' https://127.0.0.1:{lab.HttpsPort}", policy["connect-src"]);
        Assert.Equal("'none'", policy["default-src"]);
        Assert.Equal("'self'", policy["form-action"]);
        Assert.DoesNotContain(policy.Values, v => v.Contains('*', StringComparison.Ordinal) || v.Contains("unsafe", StringComparison.Ordinal));
        Assert.Equal(Hashes(html, "script"), policy["script-src"]);
        Assert.Equal(Hashes(html, "style"), policy["style-src"]);
    }

    [Fact]
    public async Task Page_NoBrowserChecks_NoCheckElementAndNoImageOrForeignConnectSources()
    {
        await using var app = new MonitorAppFactory($$"""{ "services": [ {{Service("vc-plain", null)}} ] }""");
        await app.NextCycleAsync();

        var html = await PageAsync(app);

        Assert.DoesNotContain("class=\"visitor-check\"", html);
        var policy = Policy(html);
        Assert.Equal("'none'", policy["img-src"]);
        Assert.Equal("'self'", policy["connect-src"]);
        Assert.Equal(Hashes(html, "script"), policy["script-src"]);
    }

    [Theory]
    [InlineData(HealthStatus.Up, "Up for us and for you", "Up for us, but not reachable from your network — likely your connection, DNS or a block")]
    [InlineData(HealthStatus.Down, "Down for everyone we can see", "Down for everyone we can see")]
    [InlineData(HealthStatus.Degraded, "Slower than usual for us, but reachable from your network", "Slower than usual for us, and not reachable from your network — it may be the service or your connection")]
    [InlineData(HealthStatus.Partial, "Down in some of the regions we probe from, but reachable from your network", "Down in some of the regions we probe from, and not reachable from your network either — your region may be affected")]
    [InlineData(HealthStatus.Maintenance, "In planned maintenance, but reachable from your network", "In planned maintenance, and not reachable from your network either — expected until the window ends")]
    [InlineData(HealthStatus.Unknown, "Reachable from your network; we have no current result of our own to compare", "Not reachable from your network; we have no current result of our own to compare")]
    public void Verdicts_MonitorStatus_WhatThePageSaysForEachBrowserResult(HealthStatus monitor, string reachable, string unreachable) =>
        Assert.Equal((reachable, unreachable), VisitorCheck.Verdicts(monitor));

    private string Service(string id, string? browserCheck) => $$"""
        { "id": "{{id}}", "name": "Lab {{id}}"{{(browserCheck is null ? "" : $", \"browserCheck\": {browserCheck}")}}, "endpoints": [
            { "id": "web", "url": "{{fixture.Lab.Http($"/switch/{id}")}}", "failureThreshold": 1 } ] }
        """;

    /// <summary>The page the snapshot holds, which is also what GET / answers.</summary>
    private static async Task<string> PageAsync(MonitorAppFactory app)
    {
        var snapshot = app.Services.GetRequiredService<ReadSnapshots>().Current!;
        var html = Encoding.UTF8.GetString(snapshot.Entries["page"].Identity);
        Assert.Equal(html, await app.CreateClient().GetStringAsync("/"));
        return html;
    }

    private static string Section(string html, string service)
    {
        var start = html.IndexOf($"<section class=\"service\" id=\"{service}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section for {service}");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    /// <summary>The attributes of the service's check element, decoded.</summary>
    private static Dictionary<string, string> Element(string html, string service)
    {
        var element = CheckElements().Matches(Section(html, service)).Single();
        return Attributes().Matches(element.Groups["attributes"].Value)
            .ToDictionary(a => a.Groups["name"].Value, a => WebUtility.HtmlDecode(a.Groups["value"].Value));
    }

    private static Dictionary<string, string> Policy(string html)
    {
        var content = WebUtility.HtmlDecode(PolicyMeta().Match(html).Groups["content"].Value);
        Assert.NotEmpty(content);
        return content.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
    }

    /// <summary>The CSP sources that allow exactly the page's inline elements of one kind, in page order.</summary>
    private static string Hashes(string html, string tag) => string.Join(' ', new Regex($"<{tag}>(.*?)</{tag}>", RegexOptions.Singleline).Matches(html)
        .Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'"));

    [GeneratedRegex("<p class=\"visitor-check\"(?<attributes>[^>]*)>(?<text>.*?)</p>")]
    private static partial Regex CheckElements();

    [GeneratedRegex("(?<name>[a-z-]+)(=\"(?<value>[^\"]*)\")?")]
    private static partial Regex Attributes();

    [GeneratedRegex("<meta http-equiv=\"Content-Security-Policy\" content=\"(?<content>[^\"]*)\">")]
    private static partial Regex PolicyMeta();
}
