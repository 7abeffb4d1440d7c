extern alias functions;
using System.Text;
using System.Text.Json;
using functions::ServerlessMonitor.Functions;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Tests.Hosting;
using ServerlessMonitor.Tests.Notifications;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Subscriptions;

/// <summary>Webhook subscriptions through the Functions app's own classes and wiring (the route table's endpoint behind its [Function]).</summary>
public sealed class WebhookFunctionsTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private const string SigningKey = "webhook-functions-test-signing-key-0123456789";

    [Fact]
    public async Task SubscribeWebhook_Function_VerifiesThenSignedEventThenUnsubscribeFunctionStopsIt()
    {
        const string service = "fn-hook";
        await using var receiver = await WebhookReceiver.StartAsync(new ManualClock());
        await using var functions = await StartAsync(service, receiver, allowLoopback: true);

        var created = await SubscribeAsync(functions, service, receiver.Url("1"));
        var body = JsonDocument.Parse(created.Body).RootElement;
        receiver.Secrets["1"] = body.GetProperty("secret").GetString()!;
        var fanout = functions.Services.GetRequiredService<SubscriberFanout>();
        await fanout.DeliverAsync(SubscriptionRig.Message(service), CancellationToken.None);
        var id = body.GetProperty("id").GetString()!;
        var unsubscribed = await functions.HttpAsync(r => functions.Function<SubscriptionsFunctions>().Unsubscribe(r, id), "POST", $"/api/subscriptions/{id}/unsubscribe");
        await fanout.DeliverAsync(SubscriptionRig.Message(service, "fedcba9876543210fedcba9876543210"), CancellationToken.None);

        Assert.Equal(201, created.Status);
        Assert.Single(receiver.Challenges);
        var delivered = Assert.Single(receiver.Events);
        Assert.True(delivered.SignatureValid);
        Assert.Equal("ServerlessMonitor.Service.Down", delivered.CloudEvent.GetProperty("type").GetString());
        Assert.Equal(200, unsubscribed.Status);
    }

    [Fact]
    public async Task SubscribeWebhook_Function_LoopbackWithoutAllowance_400NothingSent()
    {
        await using var receiver = await WebhookReceiver.StartAsync(new ManualClock());
        await using var functions = await StartAsync("fn-hook-loop", receiver, allowLoopback: false);

        var answer = await SubscribeAsync(functions, "fn-hook-loop", receiver.Url("1"));

        Assert.Equal(400, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal("url", JsonDocument.Parse(answer.Body).RootElement.GetProperty("field").GetString());
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task SubscribeWebhook_Function_NoSigningKey_503()
    {
        await using var functions = await FunctionsWiring.StartAsync(NotificationLab.Catalog(fixture.Lab, [("fn-hook-off", ["web"], null)]));

        var answer = await SubscribeAsync(functions, "fn-hook-off", "https://hooks.example.com/x");

        Assert.Equal(503, answer.Status);
        Assert.Contains("Subscriptions:SigningKey", answer.Body, StringComparison.Ordinal);
    }

    private Task<FunctionsWiring> StartAsync(string service, WebhookReceiver receiver, bool allowLoopback) =>
        FunctionsWiring.StartAsync(NotificationLab.Catalog(fixture.Lab, [(service, ["web"], null)]), new Dictionary<string, string?>
        {
            ["Subscriptions:SigningKey"] = SigningKey,
            ["Subscriptions:AllowLoopback"] = allowLoopback ? "true" : "false",
        }, receiver.Trust);

    private static Task<FunctionAnswer> SubscribeAsync(FunctionsWiring functions, string service, string url) =>
        functions.HttpAsync(r => functions.Function<SubscriptionsFunctions>().SubscribeWebhook(r), "POST", WebhookSubscribeApi.Path, r =>
        {
            r.ContentType = "application/json";
            r.Body = new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string> { ["service"] = service, ["url"] = url })));
        });
}
