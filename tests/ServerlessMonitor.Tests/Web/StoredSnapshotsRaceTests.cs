using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;
using ServerlessMonitor.Storage.Tables;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Tests.Web;

/// <summary>Two instances publish at once: the pointer moves by compare-and-swap, never back to an older build, and no parts are orphaned.</summary>
[Collection("Azurite")]
public sealed class StoredSnapshotsRaceTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory dir = new();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task WriteAsync_OlderBuildFinishesLast_NewerPointerKeptAndOlderPartsDeleted(string backend)
    {
        var (store, tables) = await StoreAsync(backend);
        await new StoredSnapshots(store, tables).WriteAsync(Snapshot("v0", T0), default);
        var slow = new PausingStore(store);
        var older = new StoredSnapshots(slow, tables).WriteAsync(Snapshot("vold", T0.AddSeconds(30)), default);
        await slow.Paused.Task.WaitAsync(TimeSpan.FromSeconds(60)); // it read the pointer (v0) and is about to write its parts

        Assert.True(await new StoredSnapshots(store, tables).WriteAsync(Snapshot("vnew", T0.AddSeconds(60)), default));
        slow.Release.SetResult();
        var published = await older.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.False(published);
        var pointer = await new StoredSnapshots(store, tables).ReadPointerAsync(default);
        Assert.Equal(("vnew", "v0"), (pointer!.Version, pointer.PreviousVersion));
        Assert.Equal(["v0", "vnew"], await PartVersionsAsync(store, tables));
        Assert.NotNull(await new StoredSnapshots(store, tables).ReadAsync(pointer, default));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task WriteAsync_NewerBuildLosesTheRace_RetriesOverTheOlderPointer(string backend)
    {
        var (store, tables) = await StoreAsync(backend);
        await new StoredSnapshots(store, tables).WriteAsync(Snapshot("v0", T0), default);
        var slow = new PausingStore(store);
        var newer = new StoredSnapshots(slow, tables).WriteAsync(Snapshot("vnew", T0.AddSeconds(60)), default);
        await slow.Paused.Task.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(await new StoredSnapshots(store, tables).WriteAsync(Snapshot("vold", T0.AddSeconds(30)), default));
        slow.Release.SetResult();
        var published = await newer.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(published);
        var pointer = await new StoredSnapshots(store, tables).ReadPointerAsync(default);
        Assert.Equal(("vnew", "vold"), (pointer!.Version, pointer.PreviousVersion));
        Assert.Equal(["vnew", "vold"], await PartVersionsAsync(store, tables)); // v0 is two versions back: deleted
    }

    public void Dispose() => dir.Dispose();

    private async Task<(ITableStore Store, MonitorTables Tables)> StoreAsync(string backend)
    {
        ITableStore store = backend == "sqlite"
            ? new SqliteTableStore(dir.File("race.db"))
            : TableStoreConnection.FromConnectionString(azurite.ConnectionString).CreateStore();
        var tables = new MonitorTables("race" + Guid.NewGuid().ToString("N")[..8]);
        foreach (var table in tables.All)
        {
            await store.CreateTableIfNotExistsAsync(table);
        }
        return (store, tables);
    }

    private static async Task<List<string>> PartVersionsAsync(ITableStore store, MonitorTables tables)
    {
        var versions = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var row in store.QueryAllAsync(tables.Status, StoredSnapshots.Partition, RowKeyRange.Prefix("part-")))
        {
            versions.Add(row.RowKey.Split('-')[1]);
        }
        return [.. versions];
    }

    private static PublicSnapshot Snapshot(string version, DateTimeOffset builtAt) => new(version, builtAt, new Dictionary<string, SnapshotEntry>
    {
        ["overview"] = SnapshotEntry.Create("application/json", $"\"{version}\"", builtAt, System.Text.Encoding.UTF8.GetBytes($"{{\"v\":\"{version}\"}}")),
    });

    /// <summary>Holds the first batch (the parts, written after the pointer was read) until released.</summary>
    private sealed class PausingStore(ITableStore inner) : DelegatingTableStore(inner)
    {
        private int batches;

        public TaskCompletionSource Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default)
        {
            if (Interlocked.Increment(ref batches) == 1)
            {
                Paused.SetResult();
                await Release.Task;
            }
            return await Inner.SubmitBatchAsync(table, operations, ct);
        }
    }
}
