using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ServerlessMonitor.Storage.Sqlite;

/// <summary>
/// The prepared statements of the writer connection, one per kind of operation, stepped through SQLite's own
/// API: Microsoft.Data.Sqlite re-enumerates a command's statements and allocates a binder per parameter on every
/// execution, which was most of the writer's managed allocations. Text is bound as UTF-8 bytes; nothing is
/// converted per row on this thread.
/// </summary>
internal sealed class SqliteStatements : IDisposable
{
    private const string Columns = "INSERT INTO rows(tbl, pk, rk, etag, ts, props) VALUES ($t, $pk, $rk, $etag, $ts, $props)";
    private readonly sqlite3 _db;
    private readonly SqliteStatement _insert;
    private readonly SqliteStatement _replace;
    private readonly SqliteStatement _merge;
    private readonly SqliteStatement _update;
    private readonly SqliteStatement _delete;
    private readonly SqliteStatement _exists;
    private readonly SqliteStatement _save;
    private readonly SqliteStatement _release;
    private readonly SqliteStatement _rollback;
    private readonly SqlitePackedWriter _packed;

    public SqliteStatements(SqliteConnection c)
    {
        _db = c.Handle!;
        _packed = new SqlitePackedWriter(_db);
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
        RolledBack();
    }

    /// <summary>Something written since the last commit was undone: names numbered meanwhile may be gone.</summary>
    public void RolledBack() => _packed.Forget();

    public string? Apply(string table, TableOperation op, byte[]? props, string now)
    {
        // Steady results are packed; the other rows of a result key keep the packed table in step (SqlitePackedWriter).
        if (_packed.TryApply(table, op, now, out var packedEtag))
        {
            return packedEtag;
        }
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
        throw !_exists.Step()
            ? new TableStoreException(TableErrorKind.NotFound, "the entity does not exist")
            : new TableStoreException(TableErrorKind.PreconditionFailed, "the entity was changed since it was read (ETag mismatch)");
    }

    public void Dispose()
    {
        foreach (var st in new[] { _insert, _replace, _merge, _update, _delete, _exists, _save, _release, _rollback })
        {
            st.Dispose();
        }
        _packed.Dispose();
    }
}

/// <summary>One prepared statement: bound by parameter name, stepped once, reset.</summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;
    private readonly Dictionary<string, int> _parameters = new(StringComparer.Ordinal);

    public SqliteStatement(sqlite3 db, string sql)
    {
        _db = db;
        Check(raw.sqlite3_prepare_v2(db, sql, out _stmt));
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

    public void Bind(string name, long value) => Check(raw.sqlite3_bind_int64(_stmt, _parameters[name], value));

    public void BindBlob(string name, byte[] value) => Check(raw.sqlite3_bind_blob(_stmt, _parameters[name], value));

    /// <summary>Runs a statement that changes rows; how many it changed.</summary>
    public int Run() => Step() ? throw new InvalidOperationException("the statement returned rows") : raw.sqlite3_changes(_db);

    /// <summary>Steps once and resets; whether the statement returned a row.</summary>
    public bool Step() => Step(null);

    /// <summary>Steps once, hands a returned row to <paramref name="read"/> before the reset; whether there was one.</summary>
    public bool Step(Action<sqlite3_stmt>? read)
    {
        var rc = raw.sqlite3_step(_stmt);
        if (rc == raw.SQLITE_ROW && read is not null)
        {
            read(_stmt);
        }
        raw.sqlite3_reset(_stmt);
        raw.sqlite3_clear_bindings(_stmt);
        if (rc != raw.SQLITE_ROW)
        {
            Check(rc == raw.SQLITE_DONE ? raw.SQLITE_OK : rc);
        }
        return rc == raw.SQLITE_ROW;
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
