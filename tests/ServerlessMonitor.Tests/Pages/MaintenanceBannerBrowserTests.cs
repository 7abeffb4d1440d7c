using Microsoft.Playwright;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Pages;

/// <summary>
/// The planned-maintenance banner in headless Chromium: shown from Maintenance:AnnounceBefore ahead and while the window runs. The page
/// comes from the app on the test's clock (Chromium's requests are answered by it), so the window's times are the test's own.
/// </summary>
public class MaintenanceBannerBrowserTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [ChromiumFact]
    public async Task StatusPage_WindowAheadThenRunning_BannerSaysWhenAndLinksTheService()
    {
        const string service = "mb-page";
        var catalog = LabCatalog.Switches(fixture.Lab, service).TrimEnd().TrimEnd('}')
            + $$""", "maintenance": [ { "service": "{{service}}", "start": "2026-11-24T02:00:00Z", "duration": "01:00:00" } ] }""";
        await using var app = new MonitorAppFactory(catalog);
        using var client = app.CreateClient();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1000, Height = 1200 } });
        await page.RouteAsync("http://monitor.test/**", async route =>
        {
            using var response = await client.GetAsync(new Uri(route.Request.Url).PathAndQuery);
            await route.FulfillAsync(new()
            {
                Status = (int)response.StatusCode,
                ContentType = response.Content.Headers.ContentType?.ToString(),
                BodyBytes = await response.Content.ReadAsByteArrayAsync(),
            });
        });

        await app.NextCycleAsync(TimeSpan.FromHours(14) - TimeSpan.FromMinutes(1)); // Sun 01:59: 48 h and a minute before
        await page.GotoAsync("http://monitor.test/");
        var bannersBefore = await page.Locator(".banner.planned").CountAsync();
        await app.NextCycleAsync(TimeSpan.FromMinutes(1));
        await page.GotoAsync("http://monitor.test/");
        var ahead = await page.InnerTextAsync(".banner.planned");
        var visible = await page.IsVisibleAsync(".banner.planned");
        await page.ClickAsync($".banner.planned a[href='#{service}']");
        var target = await page.EvaluateAsync<string>("location.hash");
        await app.NextCycleAsync(TimeSpan.FromHours(48.5));
        await page.GotoAsync("http://monitor.test/");
        var running = await page.InnerTextAsync(".banner.planned");
        var pill = await page.InnerTextAsync($"#{service} .head .pill");

        Assert.Equal(0, bannersBefore);
        Assert.True(visible);
        Assert.Equal($"Lab {service}: Planned maintenance Tue 02:00–03:00 UTC", ahead.Trim());
        Assert.Equal($"#{service}", target);
        Assert.Equal($"Lab {service}: Planned maintenance in progress until 03:00 UTC", running.Trim());
        Assert.Equal("maintenance", pill);
    }
}
