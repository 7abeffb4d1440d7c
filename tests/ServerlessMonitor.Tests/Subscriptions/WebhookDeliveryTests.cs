using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Subscriptions;

/// <summary>What happens to a verified webhook subscription when its receiver misbehaves, goes away or moves inside.</summary>
public sealed class WebhookDeliveryTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private readonly WebhookSubscriptionTests _subscribe = new(fixture);

    [Fact]
    public async Task Deliver_ReceiverFailsEveryTime_DisabledAfterMaxFailuresThenNeverCalled()
    {
        const string service = "hook-disable";
        await using var receiver = await WebhookReceiver.StartAsync(new ManualClock());
        await using var app = _subscribe.App(service, receiver, extra: new() { ["Subscriptions:MaxFailures"] = "3", ["Subscriptions:BackoffBase"] = "00:00:01" });
        var id = await SubscribedIdAsync(app, service, receiver);
        receiver.Answers["1"] = 500;
        var fanout = app.Services.GetRequiredService<SubscriberFanout>();

        var passes = new List<FanoutProgress>();
        for (var pass = 0; pass < 5; pass++)
        {
            passes.Add(await fanout.DeliverAsync(SubscriptionRig.Message(service), CancellationToken.None));
            app.Clock.Advance(TimeSpan.FromHours(1));
        }
        await fanout.DeliverAsync(SubscriptionRig.Message(service, "fedcba9876543210fedcba9876543210"), CancellationToken.None);

        Assert.Equal(3, receiver.Events.Count);
        Assert.Equal([1, 1, 0, 0, 0], passes.Select(p => p.Waiting));
        var stored = await app.Services.GetRequiredService<SubscriptionStore>().FindAsync(id, CancellationToken.None);
        Assert.Equal((true, 3), (stored!.Disabled, stored.Failures));
        Assert.Contains(app.Logs.Entries, l => l.Message.Contains("disabled after 3 failed deliveries", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deliver_Receiver410_SubscriptionRemoved()
    {
        const string service = "hook-gone";
        await using var receiver = await WebhookReceiver.StartAsync(new ManualClock());
        await using var app = _subscribe.App(service, receiver);
        var id = await SubscribedIdAsync(app, service, receiver);
        receiver.Answers["1"] = 410;

        var progress = await app.Services.GetRequiredService<SubscriberFanout>().DeliverAsync(SubscriptionRig.Message(service), CancellationToken.None);

        Assert.Equal(0, progress.Waiting);
        Assert.Single(receiver.Events);
        Assert.Null(await app.Services.GetRequiredService<SubscriptionStore>().FindAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Deliver_StoredUrlNowLeadsToLoopback_NotConnectedAndCountedAsFailure()
    {
        // As if the name had been rebound to an inside address after it was verified: the connection itself is refused.
        const string service = "hook-rebind";
        await using var receiver = await WebhookReceiver.StartAsync(new ManualClock());
        await using var app = _subscribe.App(service, receiver, allowLoopback: false);
        var store = app.Services.GetRequiredService<SubscriptionStore>();
        var stored = await store.AddAsync(SubscriptionKinds.Webhook, service, receiver.Url("1"), CancellationToken.None);

        var progress = await app.Services.GetRequiredService<SubscriberFanout>().DeliverAsync(SubscriptionRig.Message(service), CancellationToken.None);

        Assert.Equal(1, progress.Waiting);
        Assert.Empty(receiver.Requests);
        Assert.Equal(1, (await store.FindAsync(stored.Id, CancellationToken.None))!.Failures);
    }

    [Fact]
    public async Task Unsubscribe_ByReturnedLink_NoEventAfterOutage()
    {
        const string service = "hook-unsub";
        await using var receiver = await WebhookReceiver.StartAsync(new ManualClock());
        await using var app = _subscribe.App(service, receiver);
        using var client = app.CreateClient();
        var (_, created) = await WebhookSubscriptionTests.SubscribeAsync(client, service, receiver.Url("1"));

        using var unsubscribed = await client.PostAsync(created.GetProperty("unsubscribe").GetString(), null);
        await _subscribe.OutageAsync(app, service);

        Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
        Assert.Empty(receiver.Events);
        Assert.Null(await app.Services.GetRequiredService<SubscriptionStore>().FindAsync(created.GetProperty("id").GetString()!, CancellationToken.None));
    }

    private static async Task<string> SubscribedIdAsync(MonitorAppFactory app, string service, WebhookReceiver receiver)
    {
        var (status, created) = await WebhookSubscriptionTests.SubscribeAsync(app.CreateClient(), service, receiver.Url("1"));
        Assert.Equal(HttpStatusCode.Created, status);
        receiver.Secrets["1"] = created.GetProperty("secret").GetString()!;
        return created.GetProperty("id").GetString()!;
    }
}
