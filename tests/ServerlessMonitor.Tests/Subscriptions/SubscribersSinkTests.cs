using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Subscriptions;

/// <summary>The subscribers as an outbox sink, wired as the app wires them (AddCatalog, AddAlerts, AddSubscriptions) over SQLite.</summary>
public sealed class SubscribersSinkTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualClock _clock = new();
    private readonly ScriptedChannel _channel = new();
    private readonly ServiceProvider _services;
    private readonly ITableStore _store;
    private readonly MonitorTables _tables = new("");

    public SubscribersSinkTests()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _dir.Path });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Monitor:Catalog"] = _dir.Write("monitors.json", """
                { "services": [ { "id": "tiktok", "name": "TikTok", "category": "social", "endpoints": [ { "id": "web", "url": "https://www.tiktok.com/" } ] } ] }
                """),
        });
        builder.Services.AddLogging();
        builder.Services.AddOptions<MonitorOptions>().BindConfiguration(MonitorOptions.Section);
        builder.Services.AddSingleton<TimeProvider>(_clock);
        _store = new SqliteTableStore(_dir.File("monitor.db"));
        builder.Services.AddSingleton(_store);
        builder.Services.AddSingleton(_tables);
        builder.Services.AddSingleton<ISubscriberChannel>(_channel);
        builder.AddCatalog();
        builder.AddAlerts();
        builder.AddSubscriptions();
        _services = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        foreach (var table in _tables.All)
        {
            _store.CreateTableIfNotExistsAsync(table).GetAwaiter().GetResult();
        }
    }

    private SubscriptionStore Subscriptions => _services.GetRequiredService<SubscriptionStore>();

    [Fact]
    public async Task Dispatch_ServiceDownThenRecovered_EachSubscriberGetsBothInOrderOnce()
    {
        await Subscriptions.AddAsync(SubscriptionKinds.Webhook, "tiktok", "a", CancellationToken.None);
        await Subscriptions.AddAsync(SubscriptionKinds.Webhook, "tiktok", "b", CancellationToken.None);
        await WriteAsync(AlertTypes.EndpointDown, "tiktok.web");
        await WriteAsync(AlertTypes.ServiceDown);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await WriteAsync(AlertTypes.ServiceRecovered);

        await DispatchAsync();
        await DispatchAsync();

        Assert.Equal(["TikTok is down", "TikTok is back after 3 min"], _channel.Sent.Where(s => s.Subscription.Address == "a").Select(s => s.Message.Title));
        Assert.Equal(4, _channel.Sent.Count);
    }

    [Fact]
    public async Task Dispatch_OneSubscriberFailsOnce_OutboxRetriesOnlyThatDeliveryAndRecoveredWaitsForIt()
    {
        await Subscriptions.AddAsync(SubscriptionKinds.Webhook, "tiktok", "a", CancellationToken.None);
        await Subscriptions.AddAsync(SubscriptionKinds.Webhook, "tiktok", "b", CancellationToken.None);
        _channel.Answer = s => s.Address == "b" ? SubscriberSendResult.RetryLater : null;
        var down = await WriteAsync(AlertTypes.ServiceDown);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var recovered = await WriteAsync(AlertTypes.ServiceRecovered);

        var first = await DispatchAsync();
        var row = new OutboxEntry((await _store.GetAsync(_tables.Endpoints, "tiktok", MonitorTables.OutboxKey(down.Id)))!);
        _channel.Answer = _ => null;
        _clock.Advance(TimeSpan.FromMinutes(1));
        await DispatchAsync();
        await DispatchAsync();

        Assert.Equal(1, first.Retrying);
        Assert.Contains("1 of 2 deliveries wait for a retry", row.Row.GetString(OutboxRows.LastErrorProperty));
        Assert.Equal(["TikTok is down", "TikTok is down", "TikTok is down", "TikTok is back after 3 min", "TikTok is back after 3 min"],
            _channel.Sent.Select(s => s.Message.Title));
        Assert.Equal(OutboxRows.Delivered, new OutboxEntry((await _store.GetAsync(_tables.Endpoints, "tiktok", MonitorTables.OutboxKey(recovered.Id)))!).State);
    }

    private Task<DispatchReport> DispatchAsync() => _services.GetRequiredService<OutboxDispatcher>().DispatchPendingAsync(CancellationToken.None);

    private async Task<AlertEvent> WriteAsync(string type, string partition = "tiktok")
    {
        var now = _clock.GetUtcNow();
        var data = new AlertData
        {
            Service = "tiktok", ServiceName = "TikTok", Status = type == AlertTypes.ServiceRecovered ? "up" : "down", IncidentId = "i1",
            LikelyCause = "server-error", Start = ManualClock.Epoch.AddMinutes(-2), DurationSeconds = 180, Endpoint = partition.Contains('.') ? "web" : null,
        };
        var alert = AlertEvents.Create(type, "test", "tiktok", data.Endpoint, now, data, AlertEvents.IdSeed(partition, "i1", type));
        await _store.ExecuteAsync(_tables.Endpoints, TableOperation.Insert(OutboxRows.Create(partition, alert, now)));
        return alert;
    }

    public void Dispose()
    {
        _services.Dispose();
        _dir.Dispose();
    }
}
