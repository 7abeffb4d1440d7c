using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;

namespace ServerlessMonitor.Tests.Support;

/// <summary>
/// A test class over a new SQLite store of its own (xunit makes one instance per test), with the monitor's tables
/// created and the reads counted: for tests that prove how much a reader reads.
/// </summary>
public abstract class CountedSqliteTest : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();

    internal SqliteTableStore Sqlite { get; private set; } = null!;

    internal CountingTableStore Store { get; private set; } = null!;

    internal MonitorTables Tables { get; private set; } = null!;

    public virtual async Task InitializeAsync() => (Sqlite, Store, Tables) = await CountingTableStore.OverNewSqliteAsync(_dir);

    public async Task DisposeAsync()
    {
        await Sqlite.DisposeAsync();
        _dir.Dispose();
    }
}
