using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace ServerlessMonitor.Storage.Sqlite;

/// <summary>
/// Group commit for the embedded backend. SQLite has one writer at a time and a commit costs far more
/// than a row, so batches submitted concurrently are queued and written by one loop: every batch that
/// is waiting goes into ONE transaction. When a batch fails (ETag mismatch, row exists …) the whole attempt
/// is rolled back and the group written again with a savepoint per batch, so the failing batch fails alone
/// and the others commit. That keeps the port's promise — each batch all-or-nothing — while a probe cycle
/// pays one commit per group instead of one per probe, and no savepoint on the usual path.
/// Statements are prepared once on the writer's own connection and re-bound per row, and no row is
/// read before it is written: ETag guards are part of the UPDATE/DELETE statement, and only a guarded
/// statement that changed nothing looks at the row to say why (not found, or changed since read).
/// Checkpoints run beside the writer (<see cref="SqliteCheckpointer"/>), never inside its commits.
/// </summary>
internal sealed class SqliteGroupWriter : IAsyncDisposable
{
    // Large enough to amortise the commit across a cycle's worth of concurrent probes, small enough
    // that the write lock is released often for other processes sharing the file.
    private const int MaxBatchesPerGroup = 256;

    /// <summary>
    /// The shortest time between the starts of two commits while writes keep coming. A commit costs far more than a
    /// row (the log's frames of every page it touched, the header, the lock), and probes finish one by one: without a
    /// pause a 200-probe cycle paid ~57 commits of 3-4 batches each. A write after a quiet spell commits at once; in
    /// a stream of writes the next group waits out the rest of this interval and gathers what arrived meanwhile, so a
    /// busy writer commits at most 1 / interval times a second. Each batch still returns only once it is committed.
    /// </summary>
    public static readonly TimeSpan DefaultCommitInterval = TimeSpan.FromMilliseconds(5);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly SqliteStatements _sql;
    private readonly Action<SqliteConnection, string> _ensureTable;
    private readonly SqliteCheckpointer _checkpointer;
    private readonly Task _loop;
    private readonly TimeSpan _commitInterval;
    private long _lastCommit;
    private long _commits;

    /// <param name="connection">The writer's own connection.</param>
    /// <param name="checkpoints">A second connection, for checkpoints off the writer's thread.</param>
    /// <param name="ensureTable">Throws NotFound for a table that was never created (the store's own check and cache).</param>
    /// <param name="commitInterval">The pause between commits in a stream of writes (<see cref="DefaultCommitInterval"/>).</param>
    public SqliteGroupWriter(SqliteConnection connection, SqliteConnection checkpoints, Action<SqliteConnection, string> ensureTable,
        TimeSpan? commitInterval = null)
    {
        _commitInterval = commitInterval ?? DefaultCommitInterval;
        // The writer never checkpoints inside a commit; the checkpointer does it beside it.
        using (var off = connection.CreateCommand())
        {
            off.CommandText = "PRAGMA wal_autocheckpoint=0";
            off.ExecuteNonQuery();
        }
        _checkpointer = new SqliteCheckpointer(checkpoints);
        _connection = connection;
        _ensureTable = ensureTable;
        _sql = new SqliteStatements(connection);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Transactions committed so far (group commits, retries with savepoints included).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    public Task<IReadOnlyList<string?>> SubmitAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // Rows are encoded on the caller's thread, side by side; the writer loop only binds and steps.
        var props = new byte[]?[operations.Count];
        for (var i = 0; i < operations.Count; i++)
        {
            props[i] = operations[i].Kind == TableOperationKind.Delete ? null : SqlitePropertyCodec.EncodeUtf8(operations[i].Entity.Properties);
        }
        var pending = new Pending(table, operations, props);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteTableStore));
        }
        // Once queued the batch is written (or fails) as a whole; cancelling only stops waiting for it.
        return pending.Done.Task.WaitAsync(ct);
    }

    private async Task RunAsync()
    {
        var group = new List<Pending>(MaxBatchesPerGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            // Real time on purpose: this paces the disk, whatever clock the application runs on.
            var wait = _commitInterval - Stopwatch.GetElapsedTime(_lastCommit);
            if (_lastCommit != 0 && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            _lastCommit = Stopwatch.GetTimestamp();
            while (group.Count < MaxBatchesPerGroup && _queue.Reader.TryRead(out var next))
            {
                group.Add(next);
            }
            var step = Cycle.CycleProfile.Start();
            WriteGroup(group);
            Cycle.CycleProfile.Stop(Cycle.ProfileStep.SqliteGroup, step);
            group.Clear();
        }
    }

    private void WriteGroup(List<Pending> group)
    {
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        // Almost every group commits whole: try it without a savepoint per batch. If any batch fails, the
        // whole attempt is rolled back and the group written again with savepoints, so that the failing batch
        // fails alone and leaves nothing behind.
        var results = TryWriteGroup(group, now, savepoints: false) ?? TryWriteGroup(group, now, savepoints: true)!;
        for (var b = 0; b < group.Count; b++)
        {
            if (results[b] is Exception error)
            {
                group[b].Done.TrySetException(error);
            }
            else
            {
                group[b].Done.TrySetResult((IReadOnlyList<string?>)results[b]);
            }
        }
        _checkpointer.Nudge();
    }

    /// <summary>The group in one transaction; null when a batch failed without savepoints (nothing was committed).</summary>
    private object[]? TryWriteGroup(List<Pending> group, string now, bool savepoints)
    {
        var results = new object[group.Count];
        try
        {
            using var tx = _connection.BeginTransaction(deferred: false);
            for (var b = 0; b < group.Count; b++)
            {
                results[b] = WriteBatch(group[b], now, savepoints);
                if (!savepoints && results[b] is BatchFailure)
                {
                    tx.Rollback();
                    _sql.RolledBack();
                    return null;
                }
            }
            var commit = Cycle.CycleProfile.Start();
            tx.Commit();
            Interlocked.Increment(ref _commits);
            Cycle.CycleProfile.Stop(Cycle.ProfileStep.SqliteCommit, commit);
        }
        catch (Exception e)
        {
            // The transaction failed as a whole (disk full, lock timeout, a bug): nothing of the group was
            // applied, and every waiting caller hears why — the loop itself must never die with callers waiting.
            _sql.RolledBack();
            Array.Fill(results, e);
        }
        for (var b = 0; b < results.Length; b++)
        {
            if (results[b] is BatchFailure failure)
            {
                results[b] = failure.Error;
            }
        }
        return results;
    }

    /// <summary>The batch's ETags, or why it failed: a missing table (nothing written), or a <see cref="BatchFailure"/>.</summary>
    private object WriteBatch(Pending batch, string now, bool savepoint)
    {
        try
        {
            _ensureTable(_connection, batch.Table);
        }
        catch (TableStoreException e)
        {
            return e;
        }
        if (savepoint)
        {
            _sql.Save();
        }
        var operations = batch.Operations;
        var i = 0;
        try
        {
            var etags = new string?[operations.Count];
            for (; i < operations.Count; i++)
            {
                etags[i] = _sql.Apply(batch.Table, operations[i], batch.Props[i], now);
            }
            if (savepoint)
            {
                _sql.Release();
            }
            return etags;
        }
        catch (Exception e) when (e is TableStoreException or SqliteException)
        {
            if (savepoint)
            {
                _sql.RollbackToSave();
            }
            return new BatchFailure(e is TableStoreException t
                ? new TableStoreException(t.Kind, $"operation {i} ({operations[i].Kind} '{operations[i].Entity.RowKey}'): {t.Message}", i)
                : e);
        }
    }

    // A batch that wrote part of itself before failing: it must be undone (savepoint, or the whole attempt).
    private sealed record BatchFailure(Exception Error);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _sql.Dispose();
        _connection.Dispose();
        await _checkpointer.DisposeAsync();
    }

    private sealed record Pending(string Table, IReadOnlyList<TableOperation> Operations, byte[]?[] Props)
    {
        public TaskCompletionSource<IReadOnlyList<string?>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
