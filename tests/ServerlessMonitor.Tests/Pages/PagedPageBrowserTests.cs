using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Pages;

/// <summary>
/// The page at scale in headless Chromium against the real app process: 1,000 services as a compact list (problems
/// first, paging, search, each service's own page) with JavaScript off; 5 services as the full page, whose sections
/// the service pages repeat exactly.
/// </summary>
public class PagedPageBrowserTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [ChromiumFact]
    public async Task ServiceList_1000ServicesWithoutJavaScript_ProblemsFirstPagingSearchAndServicePage()
    {
        var names = Enumerable.Range(0, 1000).Select(i => $"big-{i:0000}").ToArray();
        var broken = new[] { "big-0003", "big-0420", "big-0999" };
        await using var site = await StartAsync(names, broken);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { JavaScriptEnabled = false, ViewportSize = new() { Width = 1000, Height = 1200 } });

        Assert.Equal(200, (await page.GotoAsync(site.Uri.ToString()))!.Status);
        Assert.Contains("1000 services: 3 down", await page.InnerTextAsync(".banner"));
        Assert.Contains("down", await page.InnerTextAsync("section.group h2 >> nth=0"));
        var rows = page.Locator("tr[data-service]");
        Assert.Equal(100, await rows.CountAsync());
        Assert.Equal(broken, await Services(rows, 3));
        Assert.Contains("server errors (5xx)", await rows.Nth(0).InnerTextAsync());
        Assert.Contains("Page 1 of 10", await page.InnerTextAsync("nav.pager"));

        await page.ClickAsync("nav.pager a[rel=next]");
        Assert.EndsWith("/?page=2", page.Url);
        Assert.Equal(100, await rows.CountAsync());
        Assert.Empty((await Services(rows, 100)).Intersect(broken));
        await page.ClickAsync("nav.pager a[href='/?page=10']");
        Assert.Equal("big-0998", (await Services(rows, 100)).Last()); // big-0999 is among the problems on page 1

        await page.FillAsync("#q", "BIG-0420");
        await page.ClickAsync("form.search button");
        Assert.Contains("q=BIG-0420", page.Url);
        Assert.Equal(["big-0420"], await Services(rows, 1));
        Assert.Equal(1, await rows.CountAsync());

        await page.ClickAsync("tr[data-service] a");
        Assert.EndsWith("/services/big-0420", page.Url);
        await AssertFullServiceAsync(page, "big-0420");
        Assert.Contains("server errors (5xx)", await page.InnerTextAsync("#big-0420"));
        Assert.Equal(1, await page.Locator("#big-0420 svg.chart rect.incident").CountAsync());
    }

    [ChromiumFact]
    public async Task ServicePage_5Services_SameSectionAsTheFullHomePageAndReportFormWorks()
    {
        var names = Enumerable.Range(0, 5).Select(i => $"five-{i}").ToArray();
        await using var site = await StartAsync(names, ["five-2"]);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1000, Height = 1600 } });

        Assert.Equal(200, (await page.GotoAsync(site.Uri.ToString()))!.Status);
        Assert.Equal(5, await page.Locator("section.service").CountAsync());
        Assert.Equal(0, await page.Locator("tr[data-service]").CountAsync());
        await NotifyShownAsync(page, "five-2"); // the page's script shows it once it has the push key: compare after it ran
        var onHome = await page.InnerHTMLAsync("#five-2");

        Assert.Equal(200, (await page.GotoAsync(new Uri(site.Uri, "/services/five-2").ToString()))!.Status);
        await AssertFullServiceAsync(page, "five-2");
        await NotifyShownAsync(page, "five-2");
        Assert.Equal(onHome, await page.InnerHTMLAsync("#five-2"));
        Assert.Contains("Lab five-2 is down", await page.InnerTextAsync(".banner"));
        await page.SelectOptionAsync("#five-2 form.report select", "feed");
        await page.ClickAsync("#five-2 form.report button");
        await page.Locator("#five-2 .result").Filter(new() { HasText = "counted" }).WaitForAsync(new() { Timeout = 10_000 });
    }

    /// <summary>Everything the old page had for one service: bars, chart, endpoints, advice, visitor check, report form, history, comparison.</summary>
    private static async Task AssertFullServiceAsync(IPage page, string id)
    {
        Assert.Equal(1, await page.Locator("section.service").CountAsync());
        Assert.Equal(1, await page.Locator($"#{id} svg.bars").CountAsync());
        Assert.Equal(1, await page.Locator($"#{id} svg.chart").CountAsync());
        Assert.Contains("web", await page.InnerTextAsync($"#{id} table"));
        Assert.True(await page.Locator($"#{id} ul.advice li").CountAsync() > 0);
        Assert.Contains("Is it just you?", await page.InnerTextAsync($"#{id}"));
        Assert.Equal(1, await page.Locator($"#{id} form.report").CountAsync());
        Assert.Contains($"Lab {id} / web", await page.InnerTextAsync("#h-history + .scroll table"));
        Assert.Equal(1, await page.Locator("#h-compare + .scroll tbody tr").CountAsync());
        Assert.Equal("All services", await page.InnerTextAsync("header a"));
    }

    private static Task NotifyShownAsync(IPage page, string id) =>
        page.Locator($"#{id} button.notify").WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 15_000 });

    private static async Task<string[]> Services(ILocator rows, int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i => (await rows.Nth(i).GetAttributeAsync("data-service"))!));

    private async Task<Site> StartAsync(string[] names, string[] broken)
    {
        foreach (var name in broken)
        {
            fixture.Lab.Switches.Set(name, 500);
        }
        var dir = new TempDirectory();
        var catalog = LabCatalog.Switches(fixture.Lab, names).Replace("\"conditions\"", "\"failureThreshold\": 1, \"conditions\"");
        var port = AppProcess.FreePort();
        var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Monitor__Catalog"] = dir.Write("monitors.json", catalog),
            ["Monitor__ProbeSchedule"] = "0 0 0 * * *", // the cycle at start only: the test reads what it recorded
            ["Storage__SqlitePath"] = dir.File("paged.db"),
        });
        var site = new Site(app, dir, new Uri($"http://127.0.0.1:{port}"));
        await app.WaitUntilHealthyAsync(site.Uri, TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = site.Uri };
        foreach (var name in broken)
        {
            await SnapshotStatus.WaitAsync(http, name, "down", TimeSpan.FromMinutes(4));
        }
        return site;
    }

    private static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        return await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    private sealed record Site(AppProcess App, TempDirectory Dir, Uri Uri) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            Dir.Dispose();
        }
    }
}
