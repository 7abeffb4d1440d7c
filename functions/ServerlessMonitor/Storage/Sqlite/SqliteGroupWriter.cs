using System.Buffers;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SQLitePCL;

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

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly Statements _sql;
    private readonly Action<SqliteConnection, string> _ensureTable;
    private readonly SqliteCheckpointer _checkpointer;
    private readonly Task _loop;

    /// <param name="connection">The writer's own connection.</param>
    /// <param name="checkpoints">A second connection, for checkpoints off the writer's thread.</param>
    /// <param name="ensureTable">Throws NotFound for a table that was never created (the store's own check and cache).</param>
    public SqliteGroupWriter(SqliteConnection connection, SqliteConnection checkpoints, Action<SqliteConnection, string> ensureTable)
    {
        // The writer never checkpoints inside a commit; the checkpointer does it beside it.
        using (var off = connection.CreateCommand())
        {
            off.CommandText = "PRAGMA wal_autocheckpoint=0";
            off.ExecuteNonQuery();
        }
        _checkpointer = new SqliteCheckpointer(checkpoints);
        _connection = connection;
        _ensureTable = ensureTable;
        _sql = new Statements(connection);
        _loop = Task.Run(RunAsync);
    }

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
            while (group.Count < MaxBatchesPerGroup && _queue.Reader.TryRead(out var next))
            {
                group.Add(next);
            }
            WriteGroup(group);
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
                    return null;
                }
            }
            tx.Commit();
        }
        catch (Exception e)
        {
            // The transaction failed as a whole (disk full, lock timeout, a bug): nothing of the group was
            // applied, and every waiting caller hears why — the loop itself must never die with callers waiting.
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

    /// <summary>
    /// The prepared statements of the writer connection, one per kind of operation, stepped through SQLite's own
    /// API: Microsoft.Data.Sqlite re-enumerates a command's statements and allocates a binder per parameter on every
    /// execution, which was most of the writer's managed allocations. Text is bound as UTF-8 bytes; nothing is
    /// converted per row on this thread.
    /// </summary>
    private sealed class Statements : IDisposable
    {
        private const string Columns = "INSERT INTO rows(tbl, pk, rk, etag, ts, props) VALUES ($t, $pk, $rk, $etag, $ts, $props)";
        private readonly sqlite3 _db;
        private readonly Statement _insert;
        private readonly Statement _replace;
        private readonly Statement _merge;
        private readonly Statement _update;
        private readonly Statement _delete;
        private readonly Statement _exists;
        private readonly Statement _save;
        private readonly Statement _release;
        private readonly Statement _rollback;

        public Statements(SqliteConnection c)
        {
            _db = c.Handle!;
            _insert = new(_db, Columns + " ON CONFLICT (tbl, pk, rk) DO NOTHING");
            _replace = new(_db, Columns + " ON CONFLICT (tbl, pk, rk) DO UPDATE SET etag = excluded.etag, ts = excluded.ts, props = excluded.props");
            // Stored properties are {"name":{"t":…,"v":…}} without nulls, so a JSON merge patch is exactly
            // the Azure merge: named properties replaced, the others kept.
            _merge = new(_db, Columns + " ON CONFLICT (tbl, pk, rk) DO UPDATE SET etag = excluded.etag, ts = excluded.ts, props = json_patch(rows.props, excluded.props)");
            _update = new(_db, "UPDATE rows SET etag = $etag, ts = $ts, props = $props WHERE tbl = $t AND pk = $pk AND rk = $rk AND ($if IS NULL OR etag = $if)");
            _delete = new(_db, "DELETE FROM rows WHERE tbl = $t AND pk = $pk AND rk = $rk AND ($if IS NULL OR etag = $if)");
            _exists = new(_db, "SELECT 1 FROM rows WHERE tbl = $t AND pk = $pk AND rk = $rk");
            _save = new(_db, "SAVEPOINT batch");
            _release = new(_db, "RELEASE batch");
            _rollback = new(_db, "ROLLBACK TO batch");
        }

        /// <summary>Opens the batch's savepoint.</summary>
        public void Save() => _save.Run();

        public void Release() => _release.Run();

        /// <summary>Undoes the batch and closes its savepoint.</summary>
        public void RollbackToSave()
        {
            _rollback.Run();
            _release.Run();
        }

        public string? Apply(string table, TableOperation op, byte[]? props, string now)
        {
            var e = op.Entity;
            var guard = e.ETag is null or "*" ? null : e.ETag;
            var etag = op.Kind == TableOperationKind.Delete ? null : $"W/\"{Guid.NewGuid():N}\"";
            var st = op.Kind switch
            {
                TableOperationKind.Insert => _insert,
                TableOperationKind.UpsertReplace => _replace,
                TableOperationKind.UpsertMerge => _merge,
                TableOperationKind.Update => _update,
                TableOperationKind.Delete => _delete,
                _ => throw new TableStoreException(TableErrorKind.BadRequest, $"unknown operation {op.Kind}"),
            };
            st.BindKey(table, e.PartitionKey, e.RowKey);
            if (etag is not null)
            {
                st.Bind("$etag", etag);
                st.Bind("$ts", now);
                st.Bind("$props", props!);
            }
            if (op.Kind is TableOperationKind.Update or TableOperationKind.Delete)
            {
                st.Bind("$if", guard);
            }
            if (st.Run() == 1)
            {
                return etag;
            }
            // Nothing changed: say why, reading the row only now.
            if (op.Kind == TableOperationKind.Insert)
            {
                throw new TableStoreException(TableErrorKind.Conflict, "the entity already exists");
            }
            _exists.BindKey(table, e.PartitionKey, e.RowKey);
            throw _exists.Run() == 0
                ? new TableStoreException(TableErrorKind.NotFound, "the entity does not exist")
                : new TableStoreException(TableErrorKind.PreconditionFailed, "the entity was changed since it was read (ETag mismatch)");
        }

        public void Dispose()
        {
            foreach (var st in new[] { _insert, _replace, _merge, _update, _delete, _exists, _save, _release, _rollback })
            {
                st.Dispose();
            }
        }
    }

    /// <summary>One prepared statement: bound by parameter name, stepped once, reset.</summary>
    private sealed class Statement : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _stmt;
        private readonly bool _query;
        private readonly Dictionary<string, int> _parameters = new(StringComparer.Ordinal);

        public Statement(sqlite3 db, string sql)
        {
            _db = db;
            Check(raw.sqlite3_prepare_v2(db, sql, out _stmt));
            _query = sql.StartsWith("SELECT", StringComparison.Ordinal);
            for (var i = 1; i <= raw.sqlite3_bind_parameter_count(_stmt); i++)
            {
                _parameters[raw.sqlite3_bind_parameter_name(_stmt, i).utf8_to_string()] = i;
            }
        }

        public void BindKey(string table, string pk, string rk)
        {
            Bind("$t", table);
            Bind("$pk", pk);
            Bind("$rk", rk);
        }

        public void Bind(string name, string? value)
        {
            var index = _parameters[name];
            if (value is null)
            {
                Check(raw.sqlite3_bind_null(_stmt, index));
                return;
            }
            // Keys, ETags and timestamps are short: encoded on the stack.
            var max = Encoding.UTF8.GetMaxByteCount(value.Length);
            var rented = max > 512 ? ArrayPool<byte>.Shared.Rent(max) : null;
            try
            {
                Span<byte> buffer = rented ?? stackalloc byte[512];
                var length = Encoding.UTF8.GetBytes(value, buffer);
                Check(raw.sqlite3_bind_text(_stmt, index, buffer[..length]));
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        public void Bind(string name, byte[] utf8) => Check(raw.sqlite3_bind_text(_stmt, _parameters[name], utf8));

        /// <summary>Steps once; the rows changed (or, for the SELECT, 1 when it found a row).</summary>
        public int Run()
        {
            var rc = raw.sqlite3_step(_stmt);
            raw.sqlite3_reset(_stmt);
            raw.sqlite3_clear_bindings(_stmt);
            if (rc == raw.SQLITE_ROW)
            {
                return 1;
            }
            Check(rc == raw.SQLITE_DONE ? raw.SQLITE_OK : rc);
            return _query ? 0 : raw.sqlite3_changes(_db);
        }

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
        }

        public void Dispose() => _stmt.Dispose();
    }
}
