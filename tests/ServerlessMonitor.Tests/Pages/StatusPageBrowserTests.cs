using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Pages;

/// <summary>The status page in headless Chromium, against the real app process and the outage lab.</summary>
public class StatusPageBrowserTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [ChromiumFact]
    public async Task StatusPage_LabStatuses_ChartsTablesAndReportFormWork()
    {
        var lab = fixture.Lab;
        lab.Switches.Set("page-broken", 500);
        using var dir = new TempDirectory();
        var catalog = LabCatalog.Switches(lab, "page-fine", "page-broken").Replace("\"conditions\"", "\"failureThreshold\": 1, \"conditions\"");
        var port = AppProcess.FreePort();
        await using var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Monitor__Catalog"] = dir.Write("monitors.json", catalog),
            ["Storage__SqlitePath"] = dir.File("page.db"),
        });
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        await app.WaitUntilHealthyAsync(baseUri, TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = baseUri };
        // The first probe cycle runs as soon as the app is up; failureThreshold 1 makes it decisive.
        await SnapshotStatus.WaitAsync(http, "page-broken", "down", TimeSpan.FromSeconds(30));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1000, Height = 1600 } });
        var response = await page.GotoAsync(baseUri.ToString());

        Assert.Equal(200, response!.Status);
        Assert.Contains("Lab page-broken is down", await page.InnerTextAsync(".banner"));
        Assert.Equal("up", await page.InnerTextAsync("#page-fine .pill"));
        Assert.Equal("down", await page.InnerTextAsync("#page-broken .head .pill"));
        Assert.Contains("server errors (5xx)", await page.InnerTextAsync("#page-broken"));
        Assert.Equal(2, await page.Locator("svg.bars").CountAsync());
        Assert.Equal(2, await page.Locator("svg.chart").CountAsync());
        Assert.Equal(1, await page.Locator("#page-broken svg.chart rect.incident").CountAsync());
        Assert.Contains("Lab page-broken", await page.InnerTextAsync("#h-history + .scroll table"));
        Assert.Equal(2, await page.Locator("#h-compare + .scroll tbody tr").CountAsync());

        await page.SelectOptionAsync("#page-fine form.report select", "login");
        await page.FillAsync("#page-fine form.report textarea", "cannot sign in");
        await page.ClickAsync("#page-fine form.report button");
        await page.Locator("#page-fine .result").Filter(new() { HasText = "counted" }).WaitForAsync(new() { Timeout = 10_000 });

        var reports = await http.GetFromJsonAsync<JsonElement>("/api/services/page-fine/reports?hours=1");
        Assert.Contains("\"login\":1", reports.ToString().Replace(" ", ""));

        var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;
        var screenshot = Path.Combine(artifacts, "status-page.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }
}
