using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;

namespace ServerlessMonitor.Tests.Storage;

public sealed class SqliteTableStoreContractTests : TableStoreContractTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sm-sqlite-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteTableStore _store;

    public SqliteTableStoreContractTests() => _store = new SqliteTableStore(Path.Combine(_directory, "tables.db"));

    protected override ITableStore Store => _store;

    public void Dispose()
    {
        // Pooled connections keep the file open; release them before deleting it.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
