using Microsoft.Data.Sqlite;
using ServerlessMonitor.Storage.Sqlite;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Storage;

public sealed class SqliteCheckpointerTests
{
    [Fact]
    public async Task LogPastTheLimit_WhileAReaderHoldsOldPages_IsTruncatedOnceTheReaderIsDone()
    {
        // A reader inside a read transaction keeps PASSIVE checkpoints from copying the frames written after it
        // began, so the log only grows. Past the limit the checkpointer waits for the reader and truncates the log,
        // instead of letting it grow for as long as writes and readers overlap.
        using var dir = new TempDirectory();
        var path = dir.File("checkpoint.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        using var writer = Open(connectionString, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t (v TEXT NOT NULL);");
        using var reader = Open(connectionString, "");
        var readTransaction = reader.BeginTransaction(deferred: true);
        using (var read = reader.CreateCommand())
        {
            read.Transaction = readTransaction;
            read.CommandText = "SELECT count(*) FROM t";
            Assert.Equal(0L, read.ExecuteScalar());
        }
        for (var i = 0; i < 100; i++)
        {
            Exec(writer, $"INSERT INTO t (v) VALUES ('{new string('x', 3000)}')");
        }
        var wal = new FileInfo(path + "-wal");
        wal.Refresh();
        Assert.True(wal.Length > 100 * 4096, $"the log holds {wal.Length} bytes");

        await using var checkpointer = new SqliteCheckpointer(Open(connectionString, "PRAGMA busy_timeout=30000;"), truncateFrames: 50);
        checkpointer.Nudge();
        await Task.Delay(200);
        wal.Refresh();
        Assert.True(wal.Length > 0, "the log was truncated while the reader still needed it");

        readTransaction.Dispose();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(50);
            wal.Refresh();
        }
        while (wal.Length > 0 && DateTime.UtcNow < deadline);
        Assert.Equal(0, wal.Length);
        Assert.Equal(100L, new SqliteCommand("SELECT count(*) FROM t", writer).ExecuteScalar());
    }

    private static SqliteConnection Open(string connectionString, string sql)
    {
        var c = new SqliteConnection(connectionString);
        c.Open();
        if (sql.Length > 0)
        {
            Exec(c, sql);
        }
        return c;
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
