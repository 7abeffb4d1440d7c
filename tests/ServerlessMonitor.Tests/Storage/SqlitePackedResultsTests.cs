using Microsoft.Data.Sqlite;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>Steady results stored packed beside full rows (issue 24): the store answers as if every row were a full one.</summary>
public sealed class SqlitePackedResultsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private SqliteTableStore _store = null!;
    private const string Table = "Endpoints", Pk = "svc.web";

    public async Task InitializeAsync()
    {
        _store = new SqliteTableStore(_dir.File("m.db"));
        await _store.CreateTableIfNotExistsAsync(Table);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private static TableEntity Result(int minute, string outcome = "up", string region = "local") =>
        new(Pk, MonitorTables.ResultKey(T0.AddMinutes(minute), region), new Dictionary<string, object?>
        {
            ["Region"] = region, ["CheckedAt"] = T0.AddMinutes(minute), ["Outcome"] = outcome, ["StatusCode"] = 200,
            ["ResponseMs"] = 10L + minute, ["Conditions"] = $"✓ [RESPONSE_TIME] ({10 + minute}) < 3000",
            ["Error"] = outcome == "up" ? null : $"refused at minute {minute}",
        });

    private long Count(string sql)
    {
        using var c = new SqliteConnection($"Data Source={_dir.File("m.db")}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    [Fact]
    public async Task Query_SteadyAndEventResults_MergedInKeyOrderAcrossPages()
    {
        for (var m = 0; m < 30; m++)
        {
            await _store.ExecuteAsync(Table, TableOperation.UpsertReplace(Result(m, m % 7 == 3 ? "down" : "up")));
        }
        await _store.ExecuteAsync(Table, TableOperation.UpsertReplace(new TableEntity(Pk, "state-local", new Dictionary<string, object?> { ["Status"] = "up" })));

        Assert.Equal(26, Count("SELECT count(*) FROM results_v1"));
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await _store.QueryAsync(Table, Pk, RowKeyRange.Prefix("result-"), top: 7, continuationToken: token);
            keys.AddRange(page.Items.Select(e => e.RowKey));
            token = page.ContinuationToken;
        }
        while (token is not null);
        Assert.Equal(Enumerable.Range(0, 30).Select(m => MonitorTables.ResultKey(T0.AddMinutes(m), "local")).Order(StringComparer.Ordinal), keys);

        var between = await _store.QueryAllAsync(Table, Pk, MonitorTables.ResultsBetween(T0.AddMinutes(10), T0.AddMinutes(20))).ToListAsync();
        Assert.Equal(Enumerable.Range(10, 10).Reverse().Select(m => T0.AddMinutes(m)), between.Select(e => e.GetDate("CheckedAt")!.Value));
        Assert.Equal("refused at minute 17", between.Single(e => e.GetString("Outcome") == "down" && e.GetDate("CheckedAt") == T0.AddMinutes(17)).GetString("Error"));
        Assert.Equal(["state-local"], (await _store.QueryAllAsync(Table, Pk, RowKeyRange.Prefix("state-")).ToListAsync()).Select(e => e.RowKey));
    }

    [Fact]
    public async Task Get_PackedRow_ReadsLikeTheFullRowWithETagAndTimestamp()
    {
        var row = Result(1);
        var etag = await _store.ExecuteAsync(Table, TableOperation.Insert(row));

        var read = await _store.GetAsync(Table, Pk, row.RowKey);
        Assert.NotNull(read);
        Assert.Equal(etag, read.ETag);
        Assert.NotNull(read.Timestamp);
        Assert.Equal(row.Properties.Where(p => p.Value is not null).OrderBy(p => p.Key), read.Properties.OrderBy(p => p.Key));
        Assert.Equal(0, Count("SELECT count(*) FROM rows WHERE rk LIKE 'result-%'"));
    }

    [Fact]
    public async Task Insert_KeyPackedAlready_Conflicts()
    {
        await _store.ExecuteAsync(Table, TableOperation.Insert(Result(1)));
        var steady = await Assert.ThrowsAsync<TableStoreException>(() => _store.ExecuteAsync(Table, TableOperation.Insert(Result(1))));
        var full = await Assert.ThrowsAsync<TableStoreException>(() => _store.ExecuteAsync(Table, TableOperation.Insert(Result(1, "down"))));
        Assert.Equal(TableErrorKind.Conflict, steady.Kind);
        Assert.Equal(TableErrorKind.Conflict, full.Kind);
    }

    [Fact]
    public async Task Replace_SteadyByEventAndBack_KeyLivesInOneTableOnly()
    {
        var row = Result(2);
        await _store.ExecuteAsync(Table, TableOperation.UpsertReplace(row));
        await _store.ExecuteAsync(Table, TableOperation.UpsertReplace(Result(2, "down")));
        Assert.Equal((0, 1), (Count("SELECT count(*) FROM results_v1"), Count("SELECT count(*) FROM rows WHERE rk LIKE 'result-%'")));
        Assert.Equal("down", (await _store.GetAsync(Table, Pk, row.RowKey))!.GetString("Outcome"));

        await _store.ExecuteAsync(Table, TableOperation.UpsertReplace(row));
        Assert.Equal((1, 0), (Count("SELECT count(*) FROM results_v1"), Count("SELECT count(*) FROM rows WHERE rk LIKE 'result-%'")));
        Assert.Single(await _store.QueryAllAsync(Table, Pk, RowKeyRange.Prefix("result-")).ToListAsync());
    }

    [Fact]
    public async Task Merge_PackedRow_BecomesFullRowWithBothParts()
    {
        var row = Result(3);
        var etag = await _store.ExecuteAsync(Table, TableOperation.Insert(row));
        var stale = await Assert.ThrowsAsync<TableStoreException>(() => _store.ExecuteAsync(Table,
            TableOperation.Update(new TableEntity(Pk, row.RowKey, new Dictionary<string, object?> { ["Note"] = "x" }) { ETag = "W/\"other\"" })));
        Assert.Equal(TableErrorKind.PreconditionFailed, stale.Kind);

        await _store.ExecuteAsync(Table, TableOperation.UpsertMerge(new TableEntity(Pk, row.RowKey, new Dictionary<string, object?> { ["Note"] = "checked" }) { ETag = etag }));

        var read = await _store.GetAsync(Table, Pk, row.RowKey);
        Assert.Equal(("checked", "up"), (read!.GetString("Note"), read.GetString("Outcome")));
        Assert.Equal(0, Count("SELECT count(*) FROM results_v1"));
    }

    [Fact]
    public async Task Delete_PackedRow_GuardedByItsETag()
    {
        var row = Result(4);
        var etag = await _store.ExecuteAsync(Table, TableOperation.Insert(row));
        var stale = await Assert.ThrowsAsync<TableStoreException>(() => _store.ExecuteAsync(Table, TableOperation.Delete(Pk, row.RowKey, "W/\"other\"")));
        Assert.Equal(TableErrorKind.PreconditionFailed, stale.Kind);

        await _store.ExecuteAsync(Table, TableOperation.Delete(Pk, row.RowKey, etag!));
        Assert.Null(await _store.GetAsync(Table, Pk, row.RowKey));
        var gone = await Assert.ThrowsAsync<TableStoreException>(() => _store.ExecuteAsync(Table, TableOperation.Delete(Pk, row.RowKey)));
        Assert.Equal(TableErrorKind.NotFound, gone.Kind);
    }

    [Fact]
    public async Task Batch_FailingAfterNewNames_RollsBackAndLaterRowsStillRead()
    {
        // The first row of a new partition numbers new names; the batch fails, so those numbers are undone with it.
        var other = new TableEntity("svc.other", MonitorTables.ResultKey(T0, "eu-west"), Result(5, region: "eu-west").Properties);
        var state = new TableEntity("svc.other", "state-eu-west", new Dictionary<string, object?> { ["Status"] = "up" });
        await _store.ExecuteAsync(Table, TableOperation.Insert(state));
        var failed = await Assert.ThrowsAsync<TableStoreException>(() => _store.SubmitBatchAsync(Table, [TableOperation.Insert(other), TableOperation.Insert(state)]));
        Assert.Equal(TableErrorKind.Conflict, failed.Kind);

        await _store.SubmitBatchAsync(Table, [TableOperation.Insert(other with { RowKey = MonitorTables.ResultKey(T0.AddSeconds(1), "eu-west") })]);
        var read = await _store.QueryAllAsync(Table, "svc.other", RowKeyRange.Prefix("result-")).ToListAsync();
        Assert.Equal("eu-west", Assert.Single(read).GetString("Region"));
        Assert.Equal(T0.AddMinutes(5), read[0].GetDate("CheckedAt"));
    }
}
