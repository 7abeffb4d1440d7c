using ServerlessMonitor.Storage;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Subscriptions;

[Collection("Azurite")]
public sealed class SubscriberFanoutTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task DeliverAsync_250SubscribersAndOneForAll_EachGetsItOnceAndRepeatSendsNothing(string backend)
    {
        var channel = new ScriptedChannel();
        using var rig = SubscriptionRig.Create(backend, azurite, [channel]);
        await rig.AddManyAsync(SubscriptionKinds.Webhook, "tiktok", 250);
        await rig.Subscriptions.AddAsync(SubscriptionKinds.Webhook, "*", "everything", CancellationToken.None);
        await rig.Subscriptions.AddAsync(SubscriptionKinds.Webhook, "youtube", "other-service", CancellationToken.None);
        // A kind without a channel is left alone.
        await rig.Subscriptions.AddAsync(SubscriptionKinds.Email, "tiktok", "nobody@example.com", CancellationToken.None);

        var first = await rig.Fanout.DeliverAsync(SubscriptionRig.Message("tiktok"), CancellationToken.None);
        var repeat = await rig.Fanout.DeliverAsync(SubscriptionRig.Message("tiktok"), CancellationToken.None);

        Assert.Equal(new FanoutProgress(251, 0, null), first);
        Assert.Equal(new FanoutProgress(251, 0, null), repeat);
        Assert.Equal(251, channel.Sent.Count);
        Assert.Equal(251, channel.Sent.Select(s => s.Subscription.Id).Distinct().Count());
        Assert.Equal(0, channel.SentTo("other-service"));
        // Finished: only the marker row is left of the event's delivery rows.
        var left = await rig.Store.QueryAllAsync(rig.Tables.SubscriberDeliveries, "0123456789abcdef0123456789abcdef",
            RowKeyRange.All).ToListAsync();
        Assert.Equal([DeliveryRows.MarkerKey], left.Select(r => r.RowKey));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task DeliverAsync_OneSubscriberRetryLater_OnlyThatOneSentAgainAfterItsBackoff(string backend)
    {
        var channel = new ScriptedChannel { Answer = s => s.Address == "address-tiktok-3" ? SubscriberSendResult.RetryLater : null };
        using var rig = SubscriptionRig.Create(backend, azurite, [channel]);
        await rig.AddManyAsync(SubscriptionKinds.Webhook, "tiktok", 10);
        var message = SubscriptionRig.Message("tiktok");

        var first = await rig.Fanout.DeliverAsync(message, CancellationToken.None);
        var tooSoon = await rig.Fanout.DeliverAsync(message, CancellationToken.None);
        rig.Clock.Advance(rig.Options.BackoffBase);
        channel.Answer = _ => null;
        var after = await rig.Fanout.DeliverAsync(message, CancellationToken.None);

        Assert.Equal((10, 1, ManualClock.Epoch + rig.Options.BackoffBase), (first.Total, first.Waiting, first.NextAttempt));
        Assert.Equal(1, tooSoon.Waiting);
        Assert.Equal(0, after.Waiting);
        Assert.Equal(11, channel.Sent.Count);
        Assert.Equal(2, channel.SentTo("address-tiktok-3"));
        Assert.All(Enumerable.Range(0, 10).Where(i => i != 3), i => Assert.Equal(1, channel.SentTo($"address-tiktok-{i}")));
        Assert.Equal(0, (await rig.Subscriptions.ListAsync("tiktok", CancellationToken.None).ToListAsync()).Sum(s => s.Failures));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task DeliverAsync_ReceiverSaysGone_SubscriptionRemovedOthersKept(string backend)
    {
        var channel = new ScriptedChannel { Answer = s => s.Address == "address-tiktok-1" ? SubscriberSendResult.Gone : null };
        using var rig = SubscriptionRig.Create(backend, azurite, [channel]);
        var added = await rig.AddManyAsync(SubscriptionKinds.Webhook, "tiktok", 3);

        var progress = await rig.Fanout.DeliverAsync(SubscriptionRig.Message("tiktok"), CancellationToken.None);

        Assert.Equal(0, progress.Waiting);
        var left = await rig.Subscriptions.ListAsync("tiktok", CancellationToken.None).ToListAsync();
        Assert.Equal(["address-tiktok-0", "address-tiktok-2"], left.Select(s => s.Address).Order());
        Assert.Null(await rig.Subscriptions.FindAsync(added[1].Id, CancellationToken.None));
    }

    [Fact]
    public async Task DeliverAsync_AlwaysFailing_DisabledAfterMaxFailuresAndNextEventSkipsIt()
    {
        var channel = new ScriptedChannel { Answer = s => s.Address == "address-tiktok-0" ? SubscriberSendResult.RetryLater : null };
        using var rig = SubscriptionRig.Create("sqlite", azurite, [channel], new SubscriptionsOptions { MaxFailures = 3, MaxAttempts = 10 });
        await rig.AddManyAsync(SubscriptionKinds.Webhook, "tiktok", 2);
        var message = SubscriptionRig.Message("tiktok");

        var passes = new List<FanoutProgress>();
        for (var i = 0; i < 4; i++)
        {
            passes.Add(await rig.Fanout.DeliverAsync(message, CancellationToken.None));
            rig.Clock.Advance(rig.Options.BackoffMax);
        }
        await rig.Fanout.DeliverAsync(SubscriptionRig.Message("tiktok", "fedcba9876543210fedcba9876543210"), CancellationToken.None);

        Assert.Equal([1, 1, 0, 0], passes.Select(p => p.Waiting));
        Assert.Equal(3, channel.SentTo("address-tiktok-0"));
        Assert.Equal(2, channel.SentTo("address-tiktok-1"));
        var failing = (await rig.Subscriptions.ListAsync("tiktok", CancellationToken.None).ToListAsync()).Single(s => s.Address == "address-tiktok-0");
        Assert.Equal((3, true), (failing.Failures, failing.Disabled));
    }

    [Fact]
    public async Task DeliverAsync_ChannelThrows_CountsAsRetryLater()
    {
        var channel = new ThrowingChannel();
        using var rig = SubscriptionRig.Create("sqlite", azurite, [channel]);
        await rig.Subscriptions.AddAsync(SubscriptionKinds.Webhook, "tiktok", "https://secret.example/hook?key=abc", CancellationToken.None);

        var progress = await rig.Fanout.DeliverAsync(SubscriptionRig.Message("tiktok"), CancellationToken.None);

        Assert.Equal(1, progress.Waiting);
        Assert.Equal(1, (await rig.Subscriptions.ListAsync("tiktok", CancellationToken.None).SingleAsync()).Failures);
    }

    [Fact]
    public async Task DeliverAsync_StoreFailsWritingOutcomes_NextPassResendsOnlyUnrecordedOnes()
    {
        var channel = new ScriptedChannel();
        NthDeliveryBatchFails? failing = null;
        using var rig = SubscriptionRig.Create("sqlite", azurite, [channel], wrap: s => failing = new NthDeliveryBatchFails(s));
        await rig.AddManyAsync(SubscriptionKinds.Webhook, "tiktok", 150);
        var message = SubscriptionRig.Message("tiktok");
        // Batches 1–2 write the 150 delivery rows, 3 the marker, 4 on the outcomes as they come (at most 100 each): the second outcome batch fails.
        failing!.FailBatchNumber = 5;

        await Assert.ThrowsAsync<TableStoreException>(() => rig.Fanout.DeliverAsync(message, CancellationToken.None));
        var recorded = (await DeliveryRowsAsync(rig, message.EventId)).Where(r => r.GetString(DeliveryRows.OutcomeProperty) is not null)
            .Select(r => DeliveryRows.SubscriptionIdOf(r.RowKey)).ToHashSet();
        var firstPass = channel.Sent.Count;
        var retry = await rig.Fanout.DeliverAsync(message, CancellationToken.None);

        Assert.Equal(0, retry.Waiting);
        Assert.InRange(recorded.Count, 1, 149);
        // At least once: every subscriber got it; those whose outcome was recorded are not sent it again.
        Assert.Equal(150, channel.Sent.Select(s => s.Subscription.Id).Distinct().Count());
        var secondPass = channel.Sent.Skip(firstPass).Select(s => s.Subscription.Id).ToList();
        Assert.DoesNotContain(secondPass, recorded.Contains);
        Assert.Equal(150 - recorded.Count, secondPass.Count);
    }

    [Fact]
    public async Task DeliverAsync_LongPass_OutcomesRecordedWhileSendingNotAtTheEnd()
    {
        using var rig = SubscriptionRig.Create("sqlite", azurite, [], new SubscriptionsOptions { Parallelism = 1 });
        var channel = new WaitingChannel(rig, "0123456789abcdef0123456789abcdef", sendsBeforeWait: 120);
        var fanout = new SubscriberFanout(rig.Store, rig.Tables, rig.Subscriptions, [channel], Microsoft.Extensions.Options.Options.Create(rig.Options),
            rig.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<SubscriberFanout>.Instance, rig.Purge);
        await rig.AddManyAsync(SubscriptionKinds.Webhook, "tiktok", 150);

        var progress = await fanout.DeliverAsync(SubscriptionRig.Message("tiktok"), CancellationToken.None);

        Assert.Equal(new FanoutProgress(150, 0, null), progress);
        // The 121st send waited until the 120 before it were on record: a crash there would re-send one, not 121.
        Assert.Equal(120, channel.RecordedWhenWaiting);
    }

    private static async Task<List<TableEntity>> DeliveryRowsAsync(SubscriptionRig rig, string eventId) =>
        await rig.Store.QueryAllAsync(rig.Tables.SubscriberDeliveries, eventId, DeliveryRows.Deliveries).ToListAsync();

    /// <summary>Accepts everything; before send n+1 it waits (up to a minute) until the n earlier outcomes are stored.</summary>
    private sealed class WaitingChannel(SubscriptionRig rig, string eventId, int sendsBeforeWait) : ISubscriberChannel
    {
        private int _sends;

        public int RecordedWhenWaiting { get; private set; } = -1;

        public string Kind => SubscriptionKinds.Webhook;

        public async Task<SubscriberSendResult> SendAsync(SubscriberMessage message, Subscription subscription, CancellationToken ct)
        {
            if (Interlocked.Increment(ref _sends) == sendsBeforeWait + 1)
            {
                var deadline = DateTime.UtcNow.AddMinutes(1);
                do
                {
                    RecordedWhenWaiting = (await DeliveryRowsAsync(rig, eventId)).Count(r => r.GetString(DeliveryRows.OutcomeProperty) is not null);
                    await Task.Delay(20, ct);
                }
                while (RecordedWhenWaiting < sendsBeforeWait && DateTime.UtcNow < deadline);
            }
            return SubscriberSendResult.Accepted;
        }
    }

    private sealed class NthDeliveryBatchFails(ITableStore inner) : DelegatingTableStore(inner)
    {
        private int _batches;

        public int FailBatchNumber { get; set; }

        public override Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default) =>
            table.EndsWith("SubscriberDeliveries", StringComparison.Ordinal) && FailBatchNumber > 0 && Interlocked.Increment(ref _batches) == FailBatchNumber
                ? throw new TableStoreException(TableErrorKind.Unavailable, "store unreachable")
                : Inner.SubmitBatchAsync(table, operations, ct);
    }

    private sealed class ThrowingChannel : ISubscriberChannel
    {
        public string Kind => SubscriptionKinds.Webhook;

        public Task<SubscriberSendResult> SendAsync(SubscriberMessage message, Subscription subscription, CancellationToken ct) =>
            throw new HttpRequestException($"connection refused to {subscription.Address}");
    }
}
