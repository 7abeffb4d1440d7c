using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OutageLab;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Pages;

/// <summary>
/// One outage lab, one app process and one headless Chromium for the browser-check tests; each test opens its
/// own page. The services' endpoints are lab switches (<c>vc-down</c> answers 500); their browser checks load
/// the lab's image, or ask the lab's refused port, where nothing listens — a network the visitor cannot reach.
/// </summary>
public sealed class VisitorCheckFixture : IAsyncLifetime
{
    public const string Fine = "vc-fine", Blocked = "vc-blocked", Down = "vc-down", FetchFine = "vc-fetch-fine", FetchBlocked = "vc-fetch-blocked";

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly TempDirectory dir = new();
    private AppProcess? app;
    private IPlaywright? playwright;

    public OutageLabServer Lab { get; private set; } = null!;

    public Uri BaseUri { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumFactAttribute.ExecutablePath))
        {
            return; // the tests are skipped; nothing to start
        }
        Lab = await OutageLabServer.StartAsync(new ManualClock());
        Lab.Switches.Set(Down, 500);
        var port = AppProcess.FreePort();
        BaseUri = new Uri($"http://127.0.0.1:{port}");
        app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = BaseUri.ToString(),
            ["Monitor__Catalog"] = dir.Write("monitors.json", Catalog()),
            ["Storage__SqlitePath"] = dir.File("visitor.db"),
        });
        await app.WaitUntilHealthyAsync(BaseUri, TimeSpan.FromSeconds(60));
        // The first probe cycle runs as soon as the app is up; failureThreshold 1 makes it decisive.
        using var http = new HttpClient { BaseAddress = BaseUri };
        foreach (var (service, status) in new[] { (Fine, "up"), (Blocked, "up"), (Down, "down"), (FetchFine, "up"), (FetchBlocked, "up") })
        {
            await SnapshotStatus.WaitAsync(http, service, status, TimeSpan.FromSeconds(30));
        }
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.ExecutablePath, Headless = true, Args = ChromiumArgs });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }
        if (Lab is not null)
        {
            await Lab.DisposeAsync();
        }
        dir.Dispose();
    }

    private string Catalog()
    {
        var image = Lab.Http("/favicon.png");
        var refused = $"http://127.0.0.1:{Lab.RefusedPort}";
        return $$"""
            { "services": [
                {{Service(Fine, image.AbsoluteUri, "image")}},
                {{Service(Blocked, $"{refused}/favicon.png", "image")}},
                {{Service(Down, image.AbsoluteUri, "image")}},
                {{Service(FetchFine, Lab.Http("/healthy").AbsoluteUri, "fetch")}},
                {{Service(FetchBlocked, $"{refused}/healthy", "fetch")}} ] }
            """;
    }

    private string Service(string id, string checkUrl, string mode) => $$"""
        { "id": "{{id}}", "name": "Lab {{id}}", "browserCheck": { "url": "{{checkUrl}}", "mode": "{{mode}}" }, "endpoints": [
            { "id": "web", "url": "{{Lab.Http($"/switch/{id}")}}", "timeout": "00:00:05", "failureThreshold": 1, "conditions": ["[STATUS] == 200"] } ] }
        """;
}
