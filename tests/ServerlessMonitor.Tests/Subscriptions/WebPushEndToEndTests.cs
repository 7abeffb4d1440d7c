using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Tests.Notifications;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Subscriptions;

/// <summary>The standalone app on the outage lab, its subscribers' browsers played by a loopback push service that verifies and decrypts.</summary>
public sealed class WebPushEndToEndTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private static readonly string[] Endpoints = ["web", "api"];

    [Fact]
    public async Task Outage_TwoPushSubscribers_DownWithCauseThenBackAfterDecryptedAndSigned()
    {
        const string service = "push-e2e";
        var keys = VapidKeys.Generate();
        await using var app = App(service, keys);
        await using var push = await LoopbackPushService.StartAsync(app.Clock);
        using var client = app.CreateClient();
        var first = await SubscribeAsync(client, service, push.Subscribe("1"));
        var again = await SubscribeAsync(client, service, push.Subscribe("1"));
        await SubscribeAsync(client, service, push.Subscribe("2"));

        await app.NextCycleAsync();
        Set(service, 500);
        await app.NextCycleAsync();
        await app.NextCycleAsync();
        Set(service, 200);
        await app.NextCycleAsync();
        await app.NextCycleAsync();

        Assert.True(push.Rejected.Count == 0, string.Join(" | ", push.Rejected));
        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        var one = push.Received.Where(p => p.Subscriber == "1").ToList();
        Assert.Equal([$"Lab {service} is down", $"Lab {service} is back after 2 min"], one.Select(p => p.Title));
        Assert.Matches("^since \\d\\d:\\d\\d UTC, likely cause: server errors$", one[0].Body);
        Assert.Equal(2, push.Received.Count(p => p.Subscriber == "2"));
        Assert.All(push.Received, p => Assert.Equal((43200, "high"), (p.Ttl, p.Urgency)));
        Assert.All(push.Received, p => Assert.Equal(push.Origin, p.Claims.GetProperty("aud").GetString()));
        Assert.Equal($"/api/subscriptions/{first.GetProperty("id").GetString()}/unsubscribe", one[0].Payload.GetProperty("unsubscribe").GetString());
        Assert.DoesNotContain(app.Logs.Entries, l => l.Message.Contains(push.Origin, StringComparison.Ordinal) || l.Message.Contains(keys.PrivateKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Outage_PushServiceAnswers410_SubscriptionRemovedOthersNotified()
    {
        const string service = "push-gone";
        await using var app = App(service, VapidKeys.Generate());
        await using var push = await LoopbackPushService.StartAsync(app.Clock);
        using var client = app.CreateClient();
        var gone = await SubscribeAsync(client, service, push.Subscribe("1"));
        await SubscribeAsync(client, service, push.Subscribe("2"));
        push.Answers["1"] = 410;

        await app.NextCycleAsync();
        Set(service, 500);
        await app.NextCycleAsync();
        await app.NextCycleAsync();

        Assert.Empty(push.Rejected);
        Assert.Equal(["2"], push.Received.Select(p => p.Subscriber));
        Assert.Null(await app.Services.GetRequiredService<SubscriptionStore>().FindAsync(gone.GetProperty("id").GetString()!, CancellationToken.None));
    }

    [Theory]
    [InlineData("""{"endpoint":"http://push.example/1","keys":{"p256dh":"x","auth":"y"}}""", "endpoint")]
    [InlineData("""{"endpoint":"https://push.example/1","keys":{"p256dh":"AAAA","auth":"AAAAAAAAAAAAAAAAAAAAAA"}}""", "keys.p256dh")]
    [InlineData("not json", "body")]
    public async Task Subscribe_BadSubscription_400NamingTheField(string body, string field)
    {
        await using var app = App("push-bad", VapidKeys.Generate(), allowLoopback: false);
        using var client = app.CreateClient();

        using var answer = await client.PostAsync("/api/services/push-bad/subscriptions/push", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal(field, JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Subscribe_LoopbackEndpointWithoutAllowance_400AndTooLarge413()
    {
        await using var app = App("push-limits", VapidKeys.Generate(), allowLoopback: false);
        await using var push = await LoopbackPushService.StartAsync(app.Clock);
        using var client = app.CreateClient();

        using var loopback = await client.PostAsync("/api/services/push-limits/subscriptions/push",
            new StringContent(push.Subscribe("1"), Encoding.UTF8, "application/json"));
        using var large = await client.PostAsync("/api/services/push-limits/subscriptions/push",
            new StringContent(new string(' ', 5000) + "{}", Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge), (loopback.StatusCode, large.StatusCode));
    }

    [Fact]
    public async Task Standalone_NoKeysSet_GeneratesPairOnceKeptAcrossRestarts()
    {
        using var dir = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["Storage:SqlitePath"] = dir.File("monitor.db") };
        string first, second;
        await using (var app = new MonitorAppFactory(NotificationLab.Catalog(fixture.Lab, [("push-keys", Endpoints, null)]), settings))
        {
            first = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/subscriptions/push/key")).RootElement.GetProperty("publicKey").GetString()!;
            Assert.DoesNotContain(app.Logs.Entries, l => l.Message.Contains(first, StringComparison.Ordinal));
        }
        await using (var app = new MonitorAppFactory(NotificationLab.Catalog(fixture.Lab, [("push-keys", Endpoints, null)]), settings))
        {
            second = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/subscriptions/push/key")).RootElement.GetProperty("publicKey").GetString()!;
        }

        Assert.True(VapidKeys.IsPublicKey(first));
        Assert.Equal(first, second);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("vapid-keys.json")));
        }
    }

    private MonitorAppFactory App(string service, VapidKeys keys, bool allowLoopback = true) =>
        new(NotificationLab.Catalog(fixture.Lab, [(service, Endpoints, null)]), new Dictionary<string, string?>
        {
            ["Subscriptions:VapidPublicKey"] = keys.PublicKey,
            ["Subscriptions:VapidPrivateKey"] = keys.PrivateKey,
            ["Subscriptions:VapidSubject"] = "mailto:ops@example.com",
            ["Subscriptions:AllowLoopback"] = allowLoopback ? "true" : "false",
        });

    private static async Task<JsonElement> SubscribeAsync(HttpClient client, string service, string subscription)
    {
        using var answer = await client.PostAsync($"/api/services/{service}/subscriptions/push", new StringContent(subscription, Encoding.UTF8, "application/json"));
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private void Set(string service, int status)
    {
        foreach (var e in Endpoints)
        {
            fixture.Lab.Switches.Set($"{service}-{e}", status);
        }
    }
}
