using ServerlessMonitor.Probing;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Rollups;

public sealed class RollupReaderSharingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task InsideASnapshotScope_EachRollupRangeIsQueriedOnce_AndOutsideItEveryCallReads()
    {
        // The read snapshot runs the overview, the page, each service document and its badges; they ask for the
        // same rollup ranges. Inside the build's scope a range is read once and kept decoded.
        using var dir = new TempDirectory();
        await using var sqlite = new SqliteTableStore(dir.File("rollups.db"));
        var store = new CountingStore(sqlite);
        var tables = new MonitorTables("");
        await store.CreateTableIfNotExistsAsync(tables.Endpoints);
        var up = RollupTotals.Empty.Record(ProbeOutcome.Up, maintenance: false, responseMs: 120, answered: true);
        var down = RollupTotals.Empty.Record(ProbeOutcome.Down, maintenance: false, responseMs: 0, answered: false);
        await store.SubmitBatchAsync(tables.Endpoints,
        [
            TableOperation.Insert(new TableEntity("svc.web", RollupKeys.Hourly(Now.AddHours(-2), "local"), up.ToProperties())),
            TableOperation.Insert(new TableEntity("svc.web", RollupKeys.Hourly(Now.AddHours(-1), "local"), down.ToProperties())),
        ]);
        var reader = new RollupReader(store, tables);

        IReadOnlyList<HourlyRollup> first, second;
        using (SharedReads.Begin())
        {
            first = await reader.HourlyAsync("svc.web", Now.AddHours(-24), Now.AddHours(1), CancellationToken.None);
            second = await reader.HourlyAsync("svc.web", Now.AddHours(-24), Now.AddHours(1), CancellationToken.None);
            Assert.Equal(1, store.Queries);
        }

        Assert.Equal(2, first.Count);
        Assert.Equal(0.5, RollupTotals.Sum(second.Select(h => h.Totals)).Uptime);
        await reader.HourlyAsync("svc.web", Now.AddHours(-24), Now.AddHours(1), CancellationToken.None);
        await reader.HourlyAsync("svc.web", Now.AddHours(-24), Now.AddHours(1), CancellationToken.None);
        Assert.Equal(3, store.Queries);
    }

    private sealed class CountingStore(ITableStore inner) : ITableStore
    {
        private int _queries;

        public int Queries => _queries;

        public Task CreateTableIfNotExistsAsync(string table, CancellationToken ct = default) => inner.CreateTableIfNotExistsAsync(table, ct);

        public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default) =>
            inner.GetAsync(table, partitionKey, rowKey, ct);

        public Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null,
            IReadOnlyList<string>? select = null, string? continuationToken = null, CancellationToken ct = default)
        {
            Interlocked.Increment(ref _queries);
            return inner.QueryAsync(table, partitionKey, range, top, select, continuationToken, ct);
        }

        public Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default) =>
            inner.SubmitBatchAsync(table, operations, ct);
    }
}
