using ServerlessMonitor.SelfCheck;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.SelfCheck;

public sealed class LocationReaderSharingTests
{
    [Fact]
    public async Task InsideASnapshotScope_LocationsAreReadOnce_OutsideEveryCallReads()
    {
        // The overview, the page and every service document of a snapshot build say whether this monitor is online:
        // one read of the location rows per build, not one per service.
        using var dir = new TempDirectory();
        var (sqlite, store, tables) = await CountingTableStore.OverNewSqliteAsync(dir);
        await using var disposeStore = sqlite;
        var since = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        await store.ExecuteAsync(tables.Endpoints, TableOperation.Insert(LocationRows.ToEntity(new LocationState("westeurope", true, since, null, "all probes failed"))));
        var reader = new LocationReader(store, tables);

        using (SharedReads.Begin())
        {
            var first = await reader.ReadAllAsync(CancellationToken.None);
            var second = await reader.ReadAllAsync(CancellationToken.None);
            Assert.Equal(1, store.Reads);
            Assert.True(first["westeurope"].Offline);
            Assert.Same(first, second);
        }

        await reader.ReadAllAsync(CancellationToken.None);
        await reader.ReadAllAsync(CancellationToken.None);
        Assert.Equal(3, store.Reads);
    }
}
