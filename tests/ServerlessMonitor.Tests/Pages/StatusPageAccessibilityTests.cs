using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Pages;

/// <summary>
/// The status page judged by axe-core's WCAG 2.1 A/AA rules in Chromium, on a desktop and a phone width, with an
/// outage on it (banner, incident history, comparison and endpoint tables all shown).
/// </summary>
public class StatusPageAccessibilityTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private static readonly string[] Wcag21AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    [ChromiumFact]
    public async Task StatusPage_DesktopAndPhoneWidths_NoSeriousOrCriticalViolations()
    {
        var lab = fixture.Lab;
        lab.Switches.Set("a11y-broken", 500);
        using var dir = new TempDirectory();
        var catalog = LabCatalog.Switches(lab, "a11y-fine", "a11y-broken").Replace("\"conditions\"", "\"failureThreshold\": 1, \"conditions\"");
        var port = AppProcess.FreePort();
        await using var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Monitor__Catalog"] = dir.Write("monitors.json", catalog),
            ["Storage__SqlitePath"] = dir.File("a11y.db"),
        });
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        await app.WaitUntilHealthyAsync(baseUri, TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = baseUri };
        await SnapshotStatus.WaitAsync(http, "a11y-broken", "down", TimeSpan.FromSeconds(30));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        foreach (var width in new[] { 1280, 375 })
        {
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = 800 } });
            Assert.Equal(200, (await page.GotoAsync(baseUri.ToString()))!.Status);
            Assert.Equal(4, await page.Locator(".scroll table").CountAsync()); // two services' endpoints, history, comparison

            var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Wcag21AA] } });

            Assert.NotEmpty(result.Passes); // axe ran against the page
            var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{width}px {v.Id} ({v.Impact}): {string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))}").ToList();
            Assert.True(serious.Count == 0, string.Join("\n", serious));
            await page.CloseAsync();
        }
    }
}
