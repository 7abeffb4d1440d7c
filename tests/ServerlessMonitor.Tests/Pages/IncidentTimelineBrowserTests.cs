using System.Net.Http.Json;
using Microsoft.Playwright;
using ServerlessMonitor.Tests.Admin;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Pages;

/// <summary>The operators' timeline as Chromium renders the status page: in order, in the service's section and in the history.</summary>
public class IncidentTimelineBrowserTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [ChromiumFact]
    public async Task StatusPage_FourUpdates_TimelineInOrderInSectionAndHistoryTextEscaped()
    {
        const string name = "upd-page";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), AdminHarness.WithKey());
        await app.ResolvedOutageAsync(fixture.Lab, name);
        var id = Assert.Single((await app.IncidentsAsync(name)).EnumerateArray()).GetProperty("id").GetString()!;
        string[] states = ["investigating", "identified", "monitoring", "resolved"];
        foreach (var state in states)
        {
            (await app.AdminClient().PostAsJsonAsync($"/api/admin/incidents/{id}/updates",
                new { state, text = $"step {state} <img src=x onerror=alert(1)>" })).EnsureSuccessStatusCode();
            app.Clock.Advance(TimeSpan.FromMinutes(2));
        }
        var html = await app.CreateClient().GetStringAsync("/");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1000, Height = 1600 } });
        await page.SetContentAsync(html);

        var section = await page.Locator($"#{name} ol.timeline li").AllInnerTextsAsync();
        var history = await page.Locator("#h-history + .scroll ol.timeline li").AllInnerTextsAsync();
        Assert.Equal(states.Select(s => $"{char.ToUpperInvariant(s[0])}{s[1..]} step {s} <img src=x onerror=alert(1)>"),
            section.Select(t => t[(t.IndexOf("UTC", StringComparison.Ordinal) + 4)..]));
        Assert.Equal(section, history);
        Assert.Equal(0, await page.Locator("img[src=x]").CountAsync());
        Assert.True(await page.Locator($"#{name} ol.timeline").IsVisibleAsync());
    }
}
