using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Tests.Storage;

namespace ServerlessMonitor.Tests.Subscriptions;

[Collection("Azurite")]
public sealed class SubscriptionStoreTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task AddAsync_SameKindServiceAndAddressTwice_OneSubscriptionWithUnguessableId(string backend)
    {
        using var rig = SubscriptionRig.Create(backend, azurite);
        var first = await rig.Subscriptions.AddAsync("push", "tiktok", "{\"endpoint\":\"https://push.example/1\"}", CancellationToken.None);
        var again = await rig.Subscriptions.AddAsync("push", "tiktok", "{\"endpoint\":\"https://push.example/1\"}", CancellationToken.None);
        var otherService = await rig.Subscriptions.AddAsync("push", "youtube", "{\"endpoint\":\"https://push.example/1\"}", CancellationToken.None);

        Assert.Equal(first, again);
        Assert.NotEqual(first.Id, otherService.Id);
        Assert.Matches("^[A-Za-z0-9_-]{22}$", first.Id);
        Assert.Equal(("push", "tiktok", 0, false), (first.Kind, first.Service, first.Failures, first.Disabled));
        Assert.Equal(first, await rig.Subscriptions.FindAsync(first.Id, CancellationToken.None));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task AddAsync_TwentyConcurrentAddsOfOneAddress_OneId(string backend)
    {
        using var rig = SubscriptionRig.Create(backend, azurite);
        var added = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            rig.Subscriptions.AddAsync("email", "tiktok", "someone@example.com", CancellationToken.None)));

        Assert.Single(added.Select(s => s.Id).Distinct());
        Assert.Single(await rig.Subscriptions.ListAsync("tiktok", CancellationToken.None).ToListAsync());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task ListAsync_ServiceAndAllServicesSubscriptions_BothListedOthersNot(string backend)
    {
        using var rig = SubscriptionRig.Create(backend, azurite);
        var own = await rig.Subscriptions.AddAsync("webhook", "tiktok", "https://a.example/hook", CancellationToken.None);
        var all = await rig.Subscriptions.AddAsync("webhook", "*", "https://b.example/hook", CancellationToken.None);
        await rig.Subscriptions.AddAsync("webhook", "youtube", "https://c.example/hook", CancellationToken.None);

        var listed = await rig.Subscriptions.ListAsync("tiktok", CancellationToken.None).ToListAsync();

        Assert.Equal(new[] { own.Id, all.Id }.Order(StringComparer.Ordinal), listed.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Equal("*", listed.Single(s => s.Id == all.Id).Service);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task RemoveAsync_ById_GoneFromListAndIndexesSoReAddGetsNewId(string backend)
    {
        using var rig = SubscriptionRig.Create(backend, azurite);
        var s = await rig.Subscriptions.AddAsync("push", "tiktok", "sub-json", CancellationToken.None);

        Assert.True(await rig.Subscriptions.RemoveAsync(s.Id, CancellationToken.None));
        Assert.False(await rig.Subscriptions.RemoveAsync(s.Id, CancellationToken.None));
        Assert.False(await rig.Subscriptions.RemoveAsync("not-an-id/../x", CancellationToken.None));
        Assert.Empty(await rig.Subscriptions.ListAsync("tiktok", CancellationToken.None).ToListAsync());
        Assert.Null(await rig.Subscriptions.FindAsync(s.Id, CancellationToken.None));
        Assert.NotEqual(s.Id, (await rig.Subscriptions.AddAsync("push", "tiktok", "sub-json", CancellationToken.None)).Id);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task RemoveByAddressAsync_AddressOnTwoServices_BothRemovedOtherAddressKept(string backend)
    {
        using var rig = SubscriptionRig.Create(backend, azurite);
        var a = await rig.Subscriptions.AddAsync("email", "tiktok", "a@example.com", CancellationToken.None);
        var b = await rig.Subscriptions.AddAsync("email", "*", "a@example.com", CancellationToken.None);
        var keep = await rig.Subscriptions.AddAsync("email", "tiktok", "b@example.com", CancellationToken.None);
        var otherKind = await rig.Subscriptions.AddAsync("webhook", "tiktok", "a@example.com", CancellationToken.None);

        await rig.Subscriptions.RemoveByAddressAsync("email", "a@example.com", CancellationToken.None);

        Assert.Null(await rig.Subscriptions.FindAsync(a.Id, CancellationToken.None));
        Assert.Null(await rig.Subscriptions.FindAsync(b.Id, CancellationToken.None));
        Assert.NotNull(await rig.Subscriptions.FindAsync(keep.Id, CancellationToken.None));
        Assert.NotNull(await rig.Subscriptions.FindAsync(otherKind.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AddAsync_UnknownKind_ArgumentErrorNamingIt()
    {
        using var rig = SubscriptionRig.Create("sqlite", azurite);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => rig.Subscriptions.AddAsync("sms", "tiktok", "+1", CancellationToken.None));
        Assert.Contains("'sms'", e.Message);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task RecordFailureAsync_UpToMaxFailures_DisabledThenSuccessResetsCount(string backend)
    {
        using var rig = SubscriptionRig.Create(backend, azurite);
        var s = await rig.Subscriptions.AddAsync("webhook", "tiktok", "https://a.example/hook", CancellationToken.None);

        var once = await rig.Subscriptions.RecordFailureAsync(s, 2, CancellationToken.None);
        var reset = await rig.Subscriptions.RecordSuccessAsync(once!, CancellationToken.None);
        var again = await rig.Subscriptions.RecordFailureAsync(reset!, 2, CancellationToken.None);
        var twice = await rig.Subscriptions.RecordFailureAsync(again!, 2, CancellationToken.None);

        Assert.Equal((1, false), (once!.Failures, once.Disabled));
        Assert.Equal(0, reset!.Failures);
        Assert.Equal((2, true), (twice!.Failures, twice.Disabled));
        Assert.Equal(twice, await rig.Subscriptions.FindAsync(s.Id, CancellationToken.None));
    }
}
