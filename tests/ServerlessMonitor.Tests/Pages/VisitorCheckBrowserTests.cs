using Microsoft.Playwright;
using ServerlessMonitor.Pages;
using ServerlessMonitor.Tests.Support;
using static ServerlessMonitor.Tests.Pages.VisitorCheckFixture;

namespace ServerlessMonitor.Tests.Pages;

/// <summary>"Is it just you?" in headless Chromium: the visitor's browser runs each check and the page puts it next to the monitor's verdict.</summary>
public sealed class VisitorCheckBrowserTests(VisitorCheckFixture fixture) : IClassFixture<VisitorCheckFixture>
{
    private const string UpForBoth = "Up for us and for you";
    private const string NotFromYourNetwork = "Up for us, but not reachable from your network — likely your connection, DNS or a block";

    [ChromiumFact]
    public async Task Check_UpForMonitorButUnreachableFromTheBrowser_SaysNotReachableFromYourNetwork()
    {
        var (context, page, violations) = await OpenAsync();
        await using var _ = context;

        Assert.Equal("up", await page.InnerTextAsync($"#{Blocked} .head .pill"));
        Assert.Equal(NotFromYourNetwork, await ResultAsync(page, Blocked, "unreachable"));
        Assert.Equal(NotFromYourNetwork, await ResultAsync(page, FetchBlocked, "unreachable"));
        // Refused by the network, not by the page's own policy.
        Assert.Empty(violations);
    }

    [ChromiumFact]
    public async Task Check_DownForMonitor_SaysDownForEveryoneWeCanSee()
    {
        var (context, page, _) = await OpenAsync();
        await using var __ = context;

        Assert.Equal("down", await page.InnerTextAsync($"#{Down} .head .pill"));
        Assert.Equal("Down for everyone we can see", await ResultAsync(page, Down, "not-needed"));
    }

    [ChromiumFact]
    public async Task Check_UpForMonitorAndReachableFromTheBrowser_SaysUpForUsAndForYou()
    {
        var (context, page, violations) = await OpenAsync();
        await using var _ = context;

        Assert.Equal(UpForBoth, await ResultAsync(page, Fine, "reachable"));
        Assert.Equal(UpForBoth, await ResultAsync(page, FetchFine, "reachable"));
        Assert.Empty(violations);
    }

    [ChromiumFact]
    public async Task Check_ImageFromAnOriginTheCatalogDoesNotName_BlockedByThePagePolicy()
    {
        var (context, page, _) = await OpenAsync();
        await using var __ = context;
        const string load = """
            url => new Promise(resolve => {
              document.addEventListener('securitypolicyviolation', e => resolve('blocked: ' + e.effectiveDirective), { once: true });
              const img = new Image();
              img.onload = () => resolve('loaded');
              img.onerror = () => setTimeout(() => resolve('error'), 500);
              img.src = url;
            })
            """;

        // The same lab image, named by another host: another origin, which the policy does not list.
        var foreign = await page.EvaluateAsync<string>(load, $"http://localhost:{fixture.Lab.HttpPort}/favicon.png");
        var listed = await page.EvaluateAsync<string>(load, fixture.Lab.Http("/favicon.png?again").AbsoluteUri);

        Assert.Equal("blocked: img-src", foreign);
        Assert.Equal("loaded", listed);
    }

    [ChromiumFact]
    public async Task Check_JavaScriptDisabled_MonitorVerdictAndNoCheckText()
    {
        await using var context = await fixture.Browser.NewContextAsync(new() { JavaScriptEnabled = false });
        var page = await context.NewPageAsync();

        await page.GotoAsync(fixture.BaseUri.ToString());

        Assert.Contains("Lab vc-down is down", await page.InnerTextAsync(".banner"));
        Assert.Equal("up", await page.InnerTextAsync($"#{Blocked} .head .pill"));
        Assert.Equal("down", await page.InnerTextAsync($"#{Down} .head .pill"));
        var checks = page.Locator("p.visitor-check");
        Assert.Equal(5, await checks.CountAsync());
        foreach (var check in await checks.AllAsync())
        {
            Assert.Equal("", await check.TextContentAsync());
            Assert.True(await check.IsHiddenAsync());
        }
        var text = await page.InnerTextAsync("main");
        Assert.DoesNotContain(UpForBoth, text);
        Assert.DoesNotContain("from your network", text);
        Assert.DoesNotContain(VisitorCheck.Checking, text);
    }

    /// <summary>The status page in a fresh browser context, with the policy violations it reports collected.</summary>
    private async Task<(IBrowserContext Context, IPage Page, List<string> Violations)> OpenAsync()
    {
        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                lock (violations)
                {
                    violations.Add(message.Text);
                }
            }
        };
        var response = await page.GotoAsync(fixture.BaseUri.ToString());
        Assert.Equal(200, response!.Status);
        return (context, page, violations);
    }

    /// <summary>The check's text once the browser settled on <paramref name="result"/> (it fails after its 8 s timeout at the latest).</summary>
    private static async Task<string> ResultAsync(IPage page, string service, string result)
    {
        var check = page.Locator($"#{service} p.visitor-check[data-result={result}]");
        await check.WaitForAsync(new() { Timeout = 20_000 });
        Assert.True(await check.IsVisibleAsync());
        return await check.InnerTextAsync();
    }
}
