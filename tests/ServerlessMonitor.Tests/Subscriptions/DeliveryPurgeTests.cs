using ServerlessMonitor.Storage;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Subscriptions;

[Collection("Azurite")]
public sealed class DeliveryPurgeTests(AzuriteFixture azurite)
{
    private const string Old = "00000000000000000000000000000001", Recent = "00000000000000000000000000000002";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task DeliverAsync_DayAfterRetention_OlderMarkersPurgedRecentKept(string backend)
    {
        var channel = new ScriptedChannel();
        using var rig = SubscriptionRig.Create(backend, azurite, [channel], new SubscriptionsOptions { DeliveryRetention = TimeSpan.FromDays(3) });
        await rig.AddManyAsync(SubscriptionKinds.Webhook, "tiktok", 3);
        await rig.Fanout.DeliverAsync(SubscriptionRig.Message("tiktok", Old), CancellationToken.None);
        rig.Clock.Advance(TimeSpan.FromDays(2));
        await rig.Fanout.DeliverAsync(SubscriptionRig.Message("tiktok", Recent), CancellationToken.None);
        var oldKeptWithinRetention = await MarkerAsync(rig, Old);

        rig.Clock.Advance(TimeSpan.FromDays(3));
        // Any later fan-out runs the day's purge.
        await rig.Fanout.DeliverAsync(SubscriptionRig.Message("tiktok", "00000000000000000000000000000003"), CancellationToken.None);

        Assert.NotNull(oldKeptWithinRetention);
        Assert.Null(await MarkerAsync(rig, Old));
        Assert.Equal(DeliveryRows.Done, (await MarkerAsync(rig, Recent))?.GetString(DeliveryRows.StateProperty));
        var day = DateOnly.FromDateTime(ManualClock.Epoch.UtcDateTime);
        Assert.Empty(await rig.Store.QueryAllAsync(rig.Tables.SubscriberDeliveries, DeliveryRows.DonePartition(day), RowKeyRange.All).ToListAsync());
        Assert.Equal(9, channel.Sent.Count);
    }

    [Fact]
    public async Task PurgeAsync_RunTwice_SecondFindsNothingFromItsCursor()
    {
        using var rig = SubscriptionRig.Create("sqlite", azurite, [new ScriptedChannel()], new SubscriptionsOptions { DeliveryRetention = TimeSpan.FromDays(1) });
        await rig.AddManyAsync(SubscriptionKinds.Webhook, "tiktok", 1);
        await rig.Fanout.DeliverAsync(SubscriptionRig.Message("tiktok", Old), CancellationToken.None);
        await rig.Fanout.DeliverAsync(SubscriptionRig.Message("tiktok", Recent), CancellationToken.None);
        rig.Clock.Advance(TimeSpan.FromDays(3));

        var first = await rig.Purge.PurgeAsync(CancellationToken.None);
        var second = await rig.Purge.PurgeAsync(CancellationToken.None);

        Assert.Equal((2, 0), (first, second));
        Assert.Null(await MarkerAsync(rig, Old));
    }

    [Fact]
    public async Task RunIfDueAsync_StoreFails_LoggedNotThrownAndRetriedNextTime()
    {
        var failing = false;
        using var rig = SubscriptionRig.Create("sqlite", azurite, [new ScriptedChannel()], new SubscriptionsOptions { DeliveryRetention = TimeSpan.FromDays(1) },
            wrap: s => new FailingWhen(s, () => failing));
        await rig.AddManyAsync(SubscriptionKinds.Webhook, "tiktok", 1);
        await rig.Fanout.DeliverAsync(SubscriptionRig.Message("tiktok", Old), CancellationToken.None);
        rig.Clock.Advance(TimeSpan.FromDays(3));

        failing = true;
        await rig.Purge.RunIfDueAsync(CancellationToken.None);
        failing = false;
        var kept = await MarkerAsync(rig, Old);
        await rig.Purge.RunIfDueAsync(CancellationToken.None);

        Assert.NotNull(kept);
        Assert.Null(await MarkerAsync(rig, Old));
    }

    private static Task<TableEntity?> MarkerAsync(SubscriptionRig rig, string eventId) =>
        rig.Store.GetAsync(rig.Tables.SubscriberDeliveries, eventId, DeliveryRows.MarkerKey);

    /// <summary>Every read and write of the deliveries table fails while the test says so.</summary>
    private sealed class FailingWhen(ITableStore inner, Func<bool> failing) : DelegatingTableStore(inner)
    {
        public override Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default) =>
            failing() ? throw new TableStoreException(TableErrorKind.Unavailable, "store unreachable") : Inner.GetAsync(table, partitionKey, rowKey, ct);
    }
}
