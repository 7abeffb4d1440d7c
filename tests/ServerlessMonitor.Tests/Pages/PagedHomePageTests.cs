using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Pages;

/// <summary>Beyond Web:PageServices the home page is a compact, paged, searchable list; every service has its own page.</summary>
public partial class PagedHomePageTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task GetHome_BeyondPageServices_CompactRowsProblemsFirstPagedFromTheSnapshot()
    {
        await using var app = await StartAsync("paged-list", services: 25, broken: [7, 19]);
        var client = app.CreateClient();

        using var first = await client.GetAsync("/");
        using var second = await client.GetAsync("/?page=2");
        using var third = await client.GetAsync("/?page=3");
        var rows1 = Rows(await first.Content.ReadAsStringAsync());

        Assert.Equal(["paged-list-07", "paged-list-19"], rows1.Take(2));
        Assert.Equal(10, rows1.Count);
        Assert.Equal(10, Rows(await second.Content.ReadAsStringAsync()).Count);
        Assert.Equal(5, Rows(await third.Content.ReadAsStringAsync()).Count);
        Assert.Equal(25, rows1.Concat(Rows(await second.Content.ReadAsStringAsync())).Concat(Rows(await third.Content.ReadAsStringAsync())).Distinct().Count());
        // Built in the same snapshot (same version ETag), not computed per request: the snapshot keys the page by its number.
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Contains("25 services: 2 down", await first.Content.ReadAsStringAsync());
        Assert.Contains("href=\"/services/paged-list-07\"", await first.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetHome_Search_OnlyMatchingRowsAndUnknownParametersIgnored()
    {
        await using var app = await StartAsync("paged-find", services: 12, broken: [3]);
        var client = app.CreateClient();

        var found = await client.GetStringAsync("/?q=FIND-03");
        var tracked = await client.GetStringAsync("/?q=find-03&utm_source=chat");
        var none = await client.GetStringAsync("/?q=no-such-service");

        Assert.Equal(["paged-find-03"], Rows(found));
        Assert.Equal(["paged-find-03"], Rows(tracked));
        Assert.Contains("1 of 12 services match: 1 down", found);
        Assert.Contains("value=\"FIND-03\"", found);
        Assert.Empty(Rows(none));
        Assert.Contains("No service matches your search.", none);
    }

    [Theory]
    [InlineData("/?page=abc", HttpStatusCode.BadRequest, "'abc' is not a page number")]
    [InlineData("/?page=0", HttpStatusCode.BadRequest, "'0' is not a page number")]
    [InlineData("/?page=9", HttpStatusCode.NotFound, "There is no page 9: the list has 3 page(s).")]
    [InlineData("/services/no-such-service", HttpStatusCode.NotFound, "No service with id 'no-such-service'")]
    public async Task GetPage_BadValue_ClearHtmlPageOrProblemDetailsForJson(string url, HttpStatusCode status, string says)
    {
        await using var app = await StartAsync("paged-bad", services: 25, broken: []);
        var client = app.CreateClient();

        using var html = await client.GetAsync(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var json = await client.SendAsync(request);

        Assert.Equal(status, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Contains(says, WebUtility.HtmlDecode(await html.Content.ReadAsStringAsync()));
        Assert.Equal(status, json.StatusCode);
        Assert.Equal("application/problem+json", json.Content.Headers.ContentType?.MediaType);
        Assert.Contains(says, (await json.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GetServicePage_SmallCatalog_SameSectionAsTheHomePagePlusItsHistoryAndComparison()
    {
        await using var app = await StartAsync("paged-own", services: 2, broken: [1]);
        var client = app.CreateClient();

        var home = await client.GetStringAsync("/");
        using var own = await client.GetAsync("/services/paged-own-01");
        var page = await own.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(Section(home, "paged-own-01"), Section(page, "paged-own-01"));
        Assert.Contains("<title>Is Lab paged-own-01 down?", page);
        Assert.DoesNotContain("id=\"paged-own-00\"", page);
        Assert.Contains("id=\"h-history\"", page);
        Assert.Contains("Lab paged-own-01 / web", page); // its incident in the history table
        Assert.Contains("<th scope=\"row\">Lab paged-own-01</th>", page); // its comparison row
        Assert.Empty(Rows(home)); // up to Web:PageServices the home page stays the full page
    }

    private async Task<MonitorAppFactory> StartAsync(string prefix, int services, int[] broken)
    {
        var names = Enumerable.Range(0, services).Select(i => $"{prefix}-{i:00}").ToArray();
        foreach (var i in broken)
        {
            fixture.Lab.Switches.Set(names[i], 500);
        }
        var catalog = LabCatalog.Switches(fixture.Lab, names).Replace("\"conditions\"", "\"failureThreshold\": 1, \"conditions\"");
        var app = new MonitorAppFactory(catalog, new Dictionary<string, string?> { ["Web:PageServices"] = "5", ["Web:PageSize"] = "10" });
        if (services <= 5)
        {
            app = new MonitorAppFactory(catalog);
        }
        await app.NextCycleAsync();
        return app;
    }

    private static List<string> Rows(string html) => ServiceRow().Matches(html).Select(m => m.Groups[1].Value).ToList();

    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"<section class=\"service\" id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section for {id}");
        return html[start..(html.IndexOf("</section>", start, StringComparison.Ordinal) + "</section>".Length)];
    }

    [GeneratedRegex("<tr data-service=\"([^\"]+)\">")]
    private static partial Regex ServiceRow();
}
