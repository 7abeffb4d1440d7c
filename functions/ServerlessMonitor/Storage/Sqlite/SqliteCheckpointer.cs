using Microsoft.Data.Sqlite;

namespace ServerlessMonitor.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log back into the database on its own connection and thread, so the group writer
/// never does it. SQLite's automatic checkpoint runs inside the commit that crosses the threshold: the
/// writer would stop to copy pages and wait for the disk sync while every probe's write queues behind it.
/// Here the writer only nudges; a nudge runs a PASSIVE checkpoint (it never blocks the writer) at most every
/// <see cref="MinInterval"/>. When the log has grown past <see cref="DefaultTruncateFrames"/> frames (checkpoints
/// never finished because readers held old pages, or writes never paused), a TRUNCATE checkpoint waits for the writer
/// once so the log cannot grow without bound.
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(250);

    // 16,384 frames of 4 KiB pages: a 64 MiB log.
    public const long DefaultTruncateFrames = 16_384;

    private readonly SqliteConnection _connection;
    private readonly long _truncateFrames;
    private readonly SemaphoreSlim _nudged = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SqliteCheckpointer(SqliteConnection connection, long truncateFrames = DefaultTruncateFrames)
    {
        _connection = connection;
        _truncateFrames = truncateFrames;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Something was committed: checkpoint soon. Cheap, and never blocks.</summary>
    public void Nudge()
    {
        if (_nudged.CurrentCount == 0)
        {
            try
            {
                _nudged.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another commit nudged in between: one checkpoint covers both.
            }
        }
    }

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                await _nudged.WaitAsync(_stop.Token);
                try
                {
                    if (Checkpoint("PASSIVE") > _truncateFrames)
                    {
                        Checkpoint("TRUNCATE");
                    }
                }
                catch (SqliteException)
                {
                    // Busy or locked by another process: the next nudge tries again; nothing is lost meanwhile,
                    // the pages stay in the log.
                }
                await Task.Delay(MinInterval, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    // Returns the size of the log in frames (SQLite reuses it from the start once it was copied completely).
    private long Checkpoint(string mode)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"PRAGMA wal_checkpoint({mode})";
        using var r = cmd.ExecuteReader();
        return r.Read() ? r.GetInt64(1) : 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        try
        {
            // What the writer committed last goes into the database before the process ends.
            Checkpoint("PASSIVE");
        }
        catch (SqliteException)
        {
        }
        _connection.Dispose();
        _stop.Dispose();
        _nudged.Dispose();
    }
}
