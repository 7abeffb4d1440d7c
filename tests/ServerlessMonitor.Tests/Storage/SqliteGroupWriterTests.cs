using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Storage;

public sealed class SqliteGroupWriterTests
{
    private const string Table = "paced";

    [Fact]
    public async Task SubmitBatchAsync_WritesTricklingInDuringTheCommitInterval_CommitTogether()
    {
        // Probes finish one by one. A write after a quiet spell commits at once; the ones that trickle in within the
        // interval after it wait and go into one commit, instead of one commit each.
        using var dir = new TempDirectory();
        await using var store = new SqliteTableStore(dir.File("paced.db"), commitInterval: TimeSpan.FromSeconds(3));
        await store.CreateTableIfNotExistsAsync(Table);
        var before = store.Commits;
        await store.SubmitBatchAsync(Table, [TableOperation.Insert(Row("first"))]);
        Assert.Equal(before + 1, store.Commits);

        var writes = new List<Task<IReadOnlyList<string?>>>();
        for (var i = 0; i < 20; i++)
        {
            writes.Add(store.SubmitBatchAsync(Table, [TableOperation.Insert(Row($"r{i:D2}"))]));
            await Task.Delay(10);
        }
        await Task.WhenAll(writes).WaitAsync(TimeSpan.FromMinutes(1));

        // One commit for the lot (two or three if this machine was slow enough to let the interval pass mid-trickle);
        // a commit per write would be 20.
        var commits = store.Commits - before - 1;
        Assert.InRange(commits, 1, 5);
        var page = await store.QueryAsync(Table, "p", RowKeyRange.All);
        Assert.Equal(21, page.Items.Count);
    }

    [Fact]
    public async Task SubmitBatchAsync_FailingBatchInAPacedGroup_FailsAloneAndTheOthersCommit()
    {
        // Grouping must keep each batch all-or-nothing: a batch that fails inside a gathered group fails alone.
        using var dir = new TempDirectory();
        await using var store = new SqliteTableStore(dir.File("paced.db"), commitInterval: TimeSpan.FromSeconds(1));
        await store.CreateTableIfNotExistsAsync(Table);
        await store.SubmitBatchAsync(Table, [TableOperation.Insert(Row("taken"))]);

        var good = store.SubmitBatchAsync(Table, [TableOperation.Insert(Row("a")), TableOperation.Insert(Row("b"))]);
        var bad = store.SubmitBatchAsync(Table, [TableOperation.Insert(Row("c")), TableOperation.Insert(Row("taken"))]);
        var alsoGood = store.SubmitBatchAsync(Table, [TableOperation.Insert(Row("d"))]);

        await good.WaitAsync(TimeSpan.FromMinutes(1));
        await alsoGood.WaitAsync(TimeSpan.FromMinutes(1));
        var error = await Assert.ThrowsAsync<TableStoreException>(() => bad.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal(TableErrorKind.Conflict, error.Kind);
        var keys = (await store.QueryAsync(Table, "p", RowKeyRange.All)).Items.Select(e => e.RowKey).ToList();
        Assert.Equal(["a", "b", "d", "taken"], keys);
    }

    private static TableEntity Row(string rowKey) => new("p", rowKey, new Dictionary<string, object?> { ["V"] = rowKey });
}
