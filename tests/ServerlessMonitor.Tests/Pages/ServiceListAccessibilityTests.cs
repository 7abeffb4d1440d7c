using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Pages;

/// <summary>The compact list (with its search form and pager), a search result, and a service's own page, judged by axe-core's WCAG 2.1 A/AA rules.</summary>
public class ServiceListAccessibilityTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private static readonly string[] Wcag21AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    [ChromiumFact]
    public async Task ServiceListAndServicePage_DesktopAndPhoneWidths_NoSeriousOrCriticalViolations()
    {
        var names = Enumerable.Range(0, 25).Select(i => $"a11y-list-{i:00}").ToArray();
        fixture.Lab.Switches.Set(names[4], 500);
        using var dir = new TempDirectory();
        var catalog = LabCatalog.Switches(fixture.Lab, names).Replace("\"conditions\"", "\"failureThreshold\": 1, \"conditions\"");
        var port = AppProcess.FreePort();
        await using var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Monitor__Catalog"] = dir.Write("monitors.json", catalog),
            ["Storage__SqlitePath"] = dir.File("a11y-list.db"),
            ["Web__PageServices"] = "5",
            ["Web__PageSize"] = "10",
        });
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        await app.WaitUntilHealthyAsync(baseUri, TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = baseUri };
        await SnapshotStatus.WaitAsync(http, names[4], "down", TimeSpan.FromSeconds(60));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        foreach (var path in new[] { "/", "/?page=2", "/?q=list-1", $"/services/{names[4]}" })
        {
            foreach (var width in new[] { 1280, 375 })
            {
                var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = 800 } });
                Assert.Equal(200, (await page.GotoAsync(new Uri(baseUri, path).ToString()))!.Status);
                Assert.True(await page.Locator("tr[data-service], section.service").CountAsync() > 0, path);

                var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Wcag21AA] } });

                Assert.NotEmpty(result.Passes);
                var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
                    .Select(v => $"{path} {width}px {v.Id} ({v.Impact}): {string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))}").ToList();
                Assert.True(serious.Count == 0, string.Join("\n", serious));
                await page.CloseAsync();
            }
        }
    }
}
