using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Tests.Notifications;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Subscriptions;

/// <summary>Webhook subscriptions on the standalone app: a loopback TLS receiver plays another team's workflow, the outage lab the service.</summary>
public sealed class WebhookSubscriptionTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private static readonly string[] Endpoints = ["web", "api"];

    [Fact]
    public async Task Subscribe_ReceiverEchoes_ChallengeFirstThenSignedCloudEventsDownAndRecovered()
    {
        const string service = "hook-e2e";
        await using var receiver = await WebhookReceiver.StartAsync(new ManualClock());
        await using var app = App(service, receiver);
        using var client = app.CreateClient();

        var (status, created) = await SubscribeAsync(client, service, receiver.Url("1"));
        var (_, again) = await SubscribeAsync(client, service, receiver.Url("1"));
        receiver.Secrets["1"] = created.GetProperty("secret").GetString()!;
        await OutageAsync(app, service);

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal((created.GetProperty("id").GetString(), created.GetProperty("secret").GetString()),
            (again.GetProperty("id").GetString(), again.GetProperty("secret").GetString()));
        Assert.Equal($"/api/subscriptions/{created.GetProperty("id").GetString()}/unsubscribe", created.GetProperty("unsubscribe").GetString());
        var challenge = receiver.Challenges[0].CloudEvent;
        Assert.Equal(("1.0", $"services/{service}"), (challenge.GetProperty("specversion").GetString(), challenge.GetProperty("subject").GetString()));
        var events = receiver.Events;
        Assert.Equal(["ServerlessMonitor.Service.Down", "ServerlessMonitor.Service.Recovered"], events.Select(e => e.CloudEvent.GetProperty("type").GetString()));
        Assert.All(events, e => Assert.True(e.SignatureValid, "signature"));
        Assert.All(events, e => Assert.Equal("application/cloudevents+json; charset=utf-8", e.ContentType));
        var down = events[0].CloudEvent;
        Assert.Equal(("1.0", $"services/{service}", "/serverlessmonitor/default"),
            (down.GetProperty("specversion").GetString(), down.GetProperty("subject").GetString(), down.GetProperty("source").GetString()));
        Assert.Equal((service, "down"), (down.GetProperty("data").GetProperty("service").GetString(), down.GetProperty("data").GetProperty("status").GetString()));
        Assert.Matches("^[0-9a-f]{32}$", down.GetProperty("id").GetString()!);
        Assert.Equal(SubscriberDeliveryIds.For(down.GetProperty("id").GetString()!, created.GetProperty("id").GetString()!), events[0].Delivery);
        Assert.DoesNotContain(app.Logs.Entries, l => l.Message.Contains(receiver.Origin, StringComparison.Ordinal)
            || l.Message.Contains(created.GetProperty("secret").GetString()!, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ChallengeAnswer.WrongCode, "did not echo")]
    [InlineData(ChallengeAnswer.Silent, "did not echo")]
    [InlineData(ChallengeAnswer.NotFound, "HTTP 404")]
    [InlineData(ChallengeAnswer.Redirect, "redirect")]
    public async Task Subscribe_ChallengeNotEchoed_422NothingStoredNoEventAfterOutage(ChallengeAnswer answer, string reason)
    {
        var service = "hook-fail-" + answer.ToString().ToLowerInvariant();
        await using var receiver = await WebhookReceiver.StartAsync(new ManualClock());
        receiver.Challenge["1"] = answer;
        receiver.RedirectTo = receiver.Url("inner");
        await using var app = App(service, receiver);
        using var client = app.CreateClient();

        var (status, problem) = await SubscribeAsync(client, service, receiver.Url("1"));
        await OutageAsync(app, service);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("url", problem.GetProperty("field").GetString());
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["/hook/1"], receiver.Requests);
        Assert.Empty(receiver.Events);
        await foreach (var _ in app.Services.GetRequiredService<SubscriptionStore>().ListAsync(service, CancellationToken.None))
        {
            Assert.Fail("a subscription was stored without a verified challenge");
        }
    }

    [Fact]
    public async Task Subscribe_RedirectToMetadataAddress_422AndNotFollowed()
    {
        await using var receiver = await WebhookReceiver.StartAsync(new ManualClock());
        receiver.Challenge["1"] = ChallengeAnswer.Redirect;
        await using var app = App("hook-redirect", receiver);

        var (status, problem) = await SubscribeAsync(app.CreateClient(), "hook-redirect", receiver.Url("1"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("redirects are not followed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://hooks.example.com/x", "url", "https")]
    [InlineData("https://user:pw@hooks.example.com/x", "url", "user name or password")]
    [InlineData("https://hooks.example.com:25/x", "url", "port 25")]
    [InlineData("https://hooks.example.com/x#part", "url", "fragment")]
    [InlineData("https://10.1.2.3/x", "url", "a private address")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "url", "a link-local address")]
    [InlineData("https://168.63.129.16/metadata", "url", "a reserved address")]
    [InlineData("https://[fd00:ec2::254]/x", "url", "a private address")]
    [InlineData("https://[::ffff:192.168.1.1]/x", "url", "a private address")]
    [InlineData("https://127.0.0.1:8443/x", "url", "a loopback address")]
    [InlineData("https://localhost:8443/x", "url", "a loopback address")]
    [InlineData("not a url", "url", "absolute https URL")]
    [InlineData(null, "url", "required")]
    public async Task Subscribe_RefusedUrlWithoutLoopbackAllowance_400NamingTheUrl(string? url, string field, string words)
    {
        await using var app = App("hook-refused", receiver: null, allowLoopback: false);

        var (status, problem) = await SubscribeAsync(app.CreateClient(), "hook-refused", url);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains(words, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_LoopbackReceiverWithoutAllowance_400AndReceiverNeverCalled()
    {
        await using var receiver = await WebhookReceiver.StartAsync(new ManualClock());
        await using var app = App("hook-noloop", receiver, allowLoopback: false);

        var (status, problem) = await SubscribeAsync(app.CreateClient(), "hook-noloop", receiver.Url("1"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("a loopback address", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task Subscribe_BadBodies_ProblemNamingTheField()
    {
        await using var app = App("hook-bodies", receiver: null);
        using var client = app.CreateClient();

        using var notJson = await client.PostAsync(WebhookSubscribeApi.Path, new StringContent("{", Encoding.UTF8, "application/json"));
        using var form = await client.PostAsync(WebhookSubscribeApi.Path, new StringContent("url=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        using var large = await client.PostAsync(WebhookSubscribeApi.Path, new StringContent(new string(' ', 5000) + "{}", Encoding.UTF8, "application/json"));
        var (unknown, unknownProblem) = await SubscribeAsync(client, "no-such-service", "https://hooks.example.com/x");
        var (longUrl, longProblem) = await SubscribeAsync(client, "hook-bodies", "https://hooks.example.com/" + new string('a', 2100));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.UnsupportedMediaType, HttpStatusCode.RequestEntityTooLarge),
            (notJson.StatusCode, form.StatusCode, large.StatusCode));
        Assert.Equal("body", JsonDocument.Parse(await notJson.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Contains("no-such-service", unknownProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, longUrl);
        Assert.Contains("at most 2048", longProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_ManyPostsFromOneAddress_429()
    {
        await using var app = App("hook-limit", receiver: null, extra: new() { ["Subscriptions:PermitLimit"] = "2" });
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await SubscribeAsync(client, "hook-limit", "http://hooks.example.com/x")).Status);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
    }

    internal MonitorAppFactory App(string service, WebhookReceiver? receiver, bool allowLoopback = true, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["Subscriptions:AllowLoopback"] = allowLoopback ? "true" : "false" };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }
        return new MonitorAppFactory(NotificationLab.Catalog(fixture.Lab, [(service, Endpoints, null)]), settings)
        {
            ConfigureServices = services => receiver?.Trust(services),
        };
    }

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> SubscribeAsync(HttpClient client, string service, string? url)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string?> { ["service"] = service, ["url"] = url });
        using var answer = await client.PostAsync(WebhookSubscribeApi.Path, new StringContent(body, Encoding.UTF8, "application/json"));
        return (answer.StatusCode, JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>Down for two cycles, then back for two.</summary>
    internal async Task OutageAsync(MonitorAppFactory app, string service)
    {
        await app.NextCycleAsync();
        Set(service, 500);
        await app.NextCycleAsync();
        await app.NextCycleAsync();
        Set(service, 200);
        await app.NextCycleAsync();
        await app.NextCycleAsync();
    }

    internal void Set(string service, int status)
    {
        foreach (var e in Endpoints)
        {
            fixture.Lab.Switches.Set($"{service}-{e}", status);
        }
    }
}
