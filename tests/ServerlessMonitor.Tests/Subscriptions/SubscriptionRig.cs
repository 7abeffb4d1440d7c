using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;
using ServerlessMonitor.Storage.Tables;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Subscriptions;

/// <summary>The subscriptions core over one backend (SQLite file or Azurite, tables of its own) with a manual clock.</summary>
public sealed class SubscriptionRig : IDisposable
{
    private readonly TempDirectory _dir;

    private SubscriptionRig(TempDirectory dir, ITableStore store, SubscriptionsOptions? options, IEnumerable<ISubscriberChannel> channels)
    {
        _dir = dir;
        Store = store;
        Tables = new MonitorTables("sub" + Guid.NewGuid().ToString("N")[..10]);
        foreach (var table in Tables.All)
        {
            Store.CreateTableIfNotExistsAsync(table).GetAwaiter().GetResult();
        }
        Options = options ?? new SubscriptionsOptions();
        Subscriptions = new SubscriptionStore(Store, Tables, Clock);
        Purge = new DeliveryPurge(Store, Tables, Microsoft.Extensions.Options.Options.Create(Options), Clock, NullLogger<DeliveryPurge>.Instance);
        Fanout = new SubscriberFanout(Store, Tables, Subscriptions, channels, Microsoft.Extensions.Options.Options.Create(Options), Clock,
            NullLogger<SubscriberFanout>.Instance, Purge);
    }

    public static SubscriptionRig Create(string backend, AzuriteFixture azurite, IEnumerable<ISubscriberChannel>? channels = null,
        SubscriptionsOptions? options = null, Func<ITableStore, ITableStore>? wrap = null)
    {
        var dir = new TempDirectory();
        var store = backend switch
        {
            "sqlite" => (ITableStore)new SqliteTableStore(dir.File("subscriptions.db")),
            _ => TableStoreConnection.FromConnectionString(azurite.ConnectionString).CreateStore(),
        };
        return new SubscriptionRig(dir, wrap?.Invoke(store) ?? store, options, channels ?? []);
    }

    public ManualClock Clock { get; } = new();

    public ITableStore Store { get; }

    public MonitorTables Tables { get; }

    public SubscriptionsOptions Options { get; }

    public SubscriptionStore Subscriptions { get; }

    public SubscriberFanout Fanout { get; }

    public DeliveryPurge Purge { get; }

    public static SubscriberMessage Message(string service, string eventId = "0123456789abcdef0123456789abcdef") =>
        new(eventId, AlertTypes.ServiceDown, service, "TikTok", "TikTok is down", "since 12:00 UTC, likely cause: server errors", null, ManualClock.Epoch);

    public async Task<List<Subscription>> AddManyAsync(string kind, string service, int count)
    {
        var added = new List<Subscription>();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(16))
        {
            added.AddRange(await Task.WhenAll(chunk.Select(i => Subscriptions.AddAsync(kind, service, $"address-{service}-{i}", CancellationToken.None))));
        }
        return added;
    }

    public void Dispose() => _dir.Dispose();
}

/// <summary>A channel that records what it was given and answers what the test scripts, per address.</summary>
public sealed class ScriptedChannel(string kind = SubscriptionKinds.Webhook) : ISubscriberChannel
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(SubscriberMessage Message, Subscription Subscription)> _sent = new();

    public string Kind => kind;

    /// <summary>The answer for an address; Accepted when it returns null.</summary>
    public Func<Subscription, SubscriberSendResult?> Answer { get; set; } = _ => null;

    public IReadOnlyList<(SubscriberMessage Message, Subscription Subscription)> Sent => _sent.ToList();

    public int SentTo(string address) => _sent.Count(s => s.Subscription.Address == address);

    public Task<SubscriberSendResult> SendAsync(SubscriberMessage message, Subscription subscription, CancellationToken ct)
    {
        _sent.Enqueue((message, subscription));
        return Task.FromResult(Answer(subscription) ?? SubscriberSendResult.Accepted);
    }
}
