using System.Security.Cryptography;
using System.Text;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Alerts;

public class WebhookAlertSinkTests
{
    [Fact]
    public async Task Dispatch_NewWebhook_HandshakesOnceBeforeFirstDelivery()
    {
        using var dir = new TempDirectory();
        await using var hook = await LoopbackReceiver.StartAsync();
        var clock = new ManualClock();
        using var harness = new AlertsHarness(dir.File("m.db"), clock, HookSettings(hook));
        var down = await harness.WriteAlertAsync(clock.GetUtcNow());

        await harness.DispatchAsync();
        var recovered = await harness.WriteAlertAsync(clock.GetUtcNow(), AlertTypes.EndpointRecovered);
        await harness.DispatchAsync();

        Assert.Equal(["OPTIONS", "POST", "POST"], hook.Requests.Select(r => r.Method));
        Assert.Equal("alerts.example.org", hook.Requests[0].Header("WebHook-Request-Origin"));
        Assert.Equal("/hook?code=function-key", hook.Requests[1].PathAndQuery);
        Assert.Equal("application/cloudevents+json; charset=utf-8", hook.Requests[1].Header("Content-Type"));
        Assert.Contains($"\"id\":\"{down.Id}\"", hook.Requests[1].BodyText);
        Assert.Contains($"\"id\":\"{recovered.Id}\"", hook.Requests[2].BodyText);
        Assert.Null(hook.Requests[1].Header(WebhookAlertSink.SignatureHeader));
    }

    [Fact]
    public async Task Dispatch_WebhookWithSecret_SignatureVerifiesAgainstExactBody()
    {
        using var dir = new TempDirectory();
        await using var hook = await LoopbackReceiver.StartAsync();
        var clock = new ManualClock();
        var settings = HookSettings(hook);
        settings["Alerts:Webhooks:0:Secret"] = "s3cret";
        using var harness = new AlertsHarness(dir.File("m.db"), clock, settings);
        var alert = await harness.WriteAlertAsync(clock.GetUtcNow());

        await harness.DispatchAsync();

        var post = hook.Requests.Single(r => r.Method == "POST");
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret"), post.Body));
        Assert.Equal(expected, post.Header(WebhookAlertSink.SignatureHeader));
        var row = await harness.ReadRowAsync(alert);
        Assert.Equal(row!.GetString(OutboxRows.EventProperty), post.BodyText);
    }

    [Fact]
    public async Task Dispatch_TypeAndSubjectFilters_SkipNonMatchingEvents()
    {
        using var dir = new TempDirectory();
        await using var hook = await LoopbackReceiver.StartAsync();
        var clock = new ManualClock();
        var settings = HookSettings(hook);
        settings["Alerts:Webhooks:0:Types:0"] = AlertTypes.EndpointDown;
        settings["Alerts:Webhooks:0:Types:1"] = AlertTypes.EndpointRecovered;
        settings["Alerts:Webhooks:0:SubjectPrefix"] = "services/TikTok/";
        using var harness = new AlertsHarness(dir.File("m.db"), clock, settings);
        var wanted = await harness.WriteAlertAsync(clock.GetUtcNow());
        var otherType = await harness.WriteAlertAsync(clock.GetUtcNow(), AlertTypes.EndpointDegraded);
        var otherService = await harness.WriteAlertAsync(clock.GetUtcNow(), service: "instagram", endpoint: "web");

        var report = (await harness.DispatchAsync()).Delivered + (await harness.DispatchAsync("instagram.web")).Delivered;

        Assert.Equal(3, report);
        var posts = hook.Requests.Where(r => r.Method == "POST").ToList();
        var post = Assert.Single(posts);
        Assert.Contains(wanted.Id, post.BodyText);
        Assert.Equal(OutboxRows.Delivered, (await harness.ReadRowAsync(otherType))!.GetString(OutboxRows.StateProperty));
        Assert.Equal(OutboxRows.Delivered, (await harness.ReadRowAsync(otherService, "instagram.web"))!.GetString(OutboxRows.StateProperty));
    }

    [Theory]
    [InlineData(404, null)]
    [InlineData(200, null)]
    [InlineData(200, "someone-else.example.org")]
    public async Task Dispatch_HandshakeRefused_NothingPostedAndRowStaysPending(int status, string? allowedOrigin)
    {
        using var dir = new TempDirectory();
        await using var hook = await LoopbackReceiver.StartAsync((request, response) =>
        {
            response.StatusCode = status;
            if (allowedOrigin is not null)
            {
                response.Headers["WebHook-Allowed-Origin"] = allowedOrigin;
            }
            return Task.CompletedTask;
        });
        var clock = new ManualClock();
        using var harness = new AlertsHarness(dir.File("m.db"), clock, HookSettings(hook));
        var alert = await harness.WriteAlertAsync(clock.GetUtcNow());

        var report = await harness.DispatchAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        await harness.DispatchAsync();

        Assert.Equal(new DispatchReport(0, 1, 0), report);
        Assert.All(hook.Requests, r => Assert.Equal("OPTIONS", r.Method));
        Assert.Equal(2, hook.Requests.Count);
        var row = (await harness.ReadRowAsync(alert))!;
        Assert.Equal(OutboxRows.Pending, row.GetString(OutboxRows.StateProperty));
        Assert.Equal(2, row.GetInt64(OutboxRows.AttemptsProperty));
        Assert.Contains("validation handshake refused", row.GetString(OutboxRows.LastErrorProperty));
        Assert.DoesNotContain("function-key", row.GetString(OutboxRows.LastErrorProperty));
    }

    internal static Dictionary<string, string?> HookSettings(LoopbackReceiver hook) => new()
    {
        ["Alerts:Webhooks:0:Url"] = new Uri(hook.Url, "/hook?code=function-key").ToString(),
        ["Alerts:WebhookOrigin"] = "alerts.example.org",
    };
}
