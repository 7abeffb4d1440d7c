using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Maintenance;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Maintenance;

public sealed class MaintenanceCalendarTests
{
    private const string CatalogJson = """
        { "services": [ { "id": "svc", "name": "Svc", "endpoints": [ { "id": "web", "url": "http://127.0.0.1:9/" } ] } ],
          "maintenance": [ { "service": "svc", "start": "2026-11-21T11:00:00Z", "duration": "02:00:00" } ] }
        """;

    [Fact]
    public async Task CoversAsync_ColdStartStoreUnreachable_AnswersFromTheCatalogAndRetriesLater()
    {
        var store = (MaintenancePartitionFails?)null;
        await using var app = new MonitorAppFactory(CatalogJson)
        {
            ConfigureServices = services => EveryNthReadFailsStore.Install(services, inner => store = new MaintenancePartitionFails(inner)),
        };
        var calendar = app.Services.GetRequiredService<MaintenanceCalendar>();
        var inForce = app.Services.GetRequiredService<CatalogProvider>().Current;
        store!.Failing = true;

        // Before: the first lookup of a cold start threw the store's error, and with it the probe's whole shard.
        Assert.True(await calendar.CoversAsync(inForce, "svc", "web", app.Clock.GetUtcNow(), CancellationToken.None));
        Assert.False(await calendar.CoversAsync(inForce, "other", "web", app.Clock.GetUtcNow(), CancellationToken.None));
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains("maintenance windows", StringComparison.OrdinalIgnoreCase));

        store.Failing = false;
        var reads = store.Reads;
        app.Clock.Advance(MaintenanceCalendar.CacheFor);
        await calendar.CoversAsync(inForce, "svc", "web", app.Clock.GetUtcNow(), CancellationToken.None);
        Assert.True(store.Reads > reads);
    }

    private sealed class MaintenancePartitionFails(ITableStore inner) : DelegatingTableStore(inner)
    {
        public volatile bool Failing;
        private int _reads;

        public int Reads => _reads;

        public override Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null,
            IReadOnlyList<string>? select = null, string? continuationToken = null, CancellationToken ct = default)
        {
            if (partitionKey != MaintenanceStore.Partition)
            {
                return Inner.QueryAsync(table, partitionKey, range, top, select, continuationToken, ct);
            }
            Interlocked.Increment(ref _reads);
            return Failing
                ? throw new TableStoreException(TableErrorKind.Unavailable, "injected: store unreachable")
                : Inner.QueryAsync(table, partitionKey, range, top, select, continuationToken, ct);
        }
    }
}
