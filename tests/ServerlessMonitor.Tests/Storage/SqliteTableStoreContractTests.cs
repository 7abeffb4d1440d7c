using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;

namespace ServerlessMonitor.Tests.Storage;

public sealed class SqliteTableStoreContractTests : TableStoreContractTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sm-sqlite-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteTableStore _store;

    public SqliteTableStoreContractTests() => _store = new SqliteTableStore(Path.Combine(_directory, "tables.db"));

    protected override ITableStore Store => _store;

    [Fact]
    public async Task Writes_AreCheckpointedIntoTheDatabaseFile_WhileTheStoreRuns()
    {
        // The writer no longer checkpoints inside its commits; the checkpointer beside it must copy the log back,
        // or the database file would stay empty and the log grow for as long as the monitor runs.
        var table = await NewTableAsync();
        var db = new FileInfo(Path.Combine(_directory, "tables.db"));
        db.Refresh();
        var before = db.Length;
        var payload = new string('x', 2000);
        for (var round = 0; round < 10; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Store.SubmitBatchAsync(table,
                [TableOperation.UpsertReplace(Row($"p{i}", $"r{round}", ("Body", payload)))])));
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (db.Length < before + 1_000_000 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            db.Refresh();
        }
        Assert.True(db.Length >= before + 1_000_000, $"the database file is {db.Length} bytes after 2 MB of rows: the log was not checkpointed");
        Assert.Equal(payload, (await Store.GetAsync(table, "p42", "r9"))!.GetString("Body"));
    }

    public void Dispose()
    {
        // Pooled connections keep the file open; release them before deleting it.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
