using System.Net;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Tests.Notifications;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Subscriptions;

/// <summary>
/// The page's Notify me flow in Chromium against the app on Kestrel (loopback): permission, the real service worker
/// registration, the subscription posted to the API. Only the browser's push service is stubbed, as Chromium cannot
/// reach one offline: PushManager.subscribe answers a subscription whose endpoint is the test's loopback push service
/// and whose keys the test made, so the later down push is verified and decrypted as the browser would.
/// </summary>
public sealed class WebPushBrowserTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private static readonly string[] Endpoints = ["web", "api"];
    private static readonly string[] Wcag21AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    [ChromiumFact]
    public async Task NotifyMe_ClickedInChromium_SubscriptionStoredAndDownPushedToIt()
    {
        const string service = "push-browser";
        var (app, push, origin) = await StartAsync(service);
        await using var _ = app;
        await using var __ = push;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new() { Permissions = ["notifications"], BaseURL = origin });
        await context.AddInitScriptAsync(StubbedSubscribe(push.Subscribe("1")));
        var page = await context.NewPageAsync();
        Assert.Equal(200, (await page.GotoAsync("/"))!.Status);

        var button = page.GetByRole(AriaRole.Button, new() { Name = $"Notify me about Lab {service}" });
        await button.ClickAsync(new() { Timeout = 60_000 });
        var result = page.Locator($"#{service} .notify-result");
        await Assertions.Expect(result).ToHaveTextAsync($"You will be notified when Lab {service} goes down and when it is back.", new() { Timeout = 60_000 });
        var workerActive = await page.EvaluateAsync<bool>("navigator.serviceWorker.getRegistrations().then(rs => rs.some(r => !!r.active && r.active.scriptURL.endsWith('/api/subscriptions/push/sw.js')))");

        var stored = await app.Services.GetRequiredService<SubscriptionStore>().ListAsync(service, CancellationToken.None).ToListAsync();
        Set(service, 500);
        await app.NextCycleAsync();
        await app.NextCycleAsync();

        Assert.True(workerActive, "the page registered no active service worker");
        var subscription = Assert.Single(stored);
        Assert.Equal((SubscriptionKinds.Push, $"{push.Origin}/push/1"), (subscription.Kind, PushSubscriptionInput.FromAddress(subscription.Address).Endpoint.AbsoluteUri));
        Assert.True(push.Rejected.Count == 0, string.Join(" | ", push.Rejected));
        var down = Assert.Single(push.Received);
        Assert.Equal(("1", $"Lab {service} is down"), (down.Subscriber, down.Title));
    }

    [ChromiumFact]
    public async Task StatusPage_SubscribeControlsShown_NoSeriousOrCriticalViolationsAt1280And375()
    {
        const string service = "push-a11y";
        var (app, push, origin) = await StartAsync(service);
        await using var _ = app;
        await using var __ = push;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        foreach (var width in new[] { 1280, 375 })
        {
            var page = await browser.NewPageAsync(new() { BaseURL = origin, ViewportSize = new() { Width = width, Height = 800 } });
            Assert.Equal(200, (await page.GotoAsync("/"))!.Status);
            await Assertions.Expect(page.Locator("button.notify").First).ToBeVisibleAsync(new() { Timeout = 60_000 });

            var axe = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Wcag21AA] } });

            Assert.Contains(axe.Passes, p => p.Nodes.Any(n => n.Html.Contains("class=\"notify\"", StringComparison.Ordinal)));
            var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{width}px {v.Id} ({v.Impact}): {string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))}").ToList();
            Assert.True(serious.Count == 0, string.Join("\n", serious));
            await page.CloseAsync();
        }
    }

    /// <summary>The app on Kestrel (a service worker needs a real origin; 127.0.0.1 is a secure context) after one cycle.</summary>
    private async Task<(MonitorAppFactory App, LoopbackPushService Push, string Origin)> StartAsync(string service)
    {
        var keys = VapidKeys.Generate();
        var app = new MonitorAppFactory(NotificationLab.Catalog(fixture.Lab, [(service, Endpoints, null)]), new Dictionary<string, string?>
        {
            ["Subscriptions:VapidPublicKey"] = keys.PublicKey,
            ["Subscriptions:VapidPrivateKey"] = keys.PrivateKey,
            ["Subscriptions:AllowLoopback"] = "true",
        });
        var port = AppProcess.FreePort();
        app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        app.StartServer();
        var push = await LoopbackPushService.StartAsync(app.Clock);
        await app.NextCycleAsync();
        return (app, push, $"http://127.0.0.1:{port}");
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

    /// <summary>PushManager.subscribe answers the test's subscription (what PushSubscription.toJSON() gives) instead of asking a push service.</summary>
    private static string StubbedSubscribe(string subscriptionJson)
    {
        var json = JsonSerializer.Serialize(subscriptionJson);
        return $$"""
            PushManager.prototype.subscribe = async function (options) {
              if (!options || !options.userVisibleOnly || !options.applicationServerKey) throw new Error('subscribe options missing');
              const sub = JSON.parse({{json}});
              return { endpoint: sub.endpoint, toJSON: () => sub };
            };
            """;
    }

    private void Set(string service, int status)
    {
        foreach (var e in Endpoints)
        {
            fixture.Lab.Switches.Set($"{service}-{e}", status);
        }
    }
}
