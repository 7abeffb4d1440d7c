using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace ServerlessMonitor.Storage.Sqlite;

/// <summary>
/// The embedded backend: every logical table lives in one SQLite table keyed by (table, pk, rk).
/// Batches run in one IMMEDIATE transaction, which gives the same all-or-nothing behaviour as an
/// Azure entity group transaction. Safe across processes thanks to WAL and a busy timeout.
/// </summary>
internal sealed class SqliteTableStore : ITableStore, IDisposable
{
    private const int MaxPageSize = 1000;
    private readonly string _connectionString;

    // SQLite allows one writer at a time; queueing writers of this process here is much cheaper than
    // letting them spin in SQLite's busy handler. Other processes still coordinate via busy_timeout.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SqliteConnection? _writer;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _knownTables = new(StringComparer.Ordinal);

    public SqliteTableStore(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = full, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var c = Open();
        Exec(c, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS tables (name TEXT PRIMARY KEY);
            CREATE TABLE IF NOT EXISTS rows (
                tbl TEXT NOT NULL, pk TEXT NOT NULL, rk TEXT NOT NULL,
                etag TEXT NOT NULL, ts TEXT NOT NULL, props TEXT NOT NULL,
                PRIMARY KEY (tbl, pk, rk)) WITHOUT ROWID;
            """);
    }

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken ct = default)
    {
        using var c = Open();
        using var cmd = Command(c, "INSERT OR IGNORE INTO tables(name) VALUES ($t)", ("$t", table));
        cmd.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default)
    {
        using var c = Open();
        EnsureTable(c, table);
        using var cmd = Command(c, "SELECT pk, rk, etag, ts, props FROM rows WHERE tbl=$t AND pk=$pk AND rk=$rk",
            ("$t", table), ("$pk", partitionKey), ("$rk", rowKey));
        using var r = cmd.ExecuteReader();
        return Task.FromResult(r.Read() ? Read(r) : null);
    }

    public Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null,
        IReadOnlyList<string>? select = null, string? continuationToken = null, CancellationToken ct = default)
    {
        var pageSize = Math.Clamp(top ?? MaxPageSize, 1, MaxPageSize);
        var from = range.From;
        var fromExclusive = false;
        if (continuationToken is not null)
        {
            from = DecodeToken(continuationToken);
            // The token replaces the range's start, so it must lie inside the range: a forged one could
            // otherwise start the scan earlier and return rows of the partition nobody asked for.
            if (!range.Contains(from))
            {
                throw new TableStoreException(TableErrorKind.BadRequest, "continuation token is not valid for this range");
            }
            fromExclusive = true;
        }
        var sql = new StringBuilder("SELECT pk, rk, etag, ts, props FROM rows WHERE tbl=$t AND pk=$pk");
        if (from is not null)
        {
            sql.Append(fromExclusive ? " AND rk > $from" : " AND rk >= $from");
        }
        if (range.To is not null)
        {
            sql.Append(" AND rk < $to");
        }
        sql.Append(" ORDER BY rk LIMIT $limit");

        using var c = Open();
        EnsureTable(c, table);
        using var cmd = Command(c, sql.ToString(), ("$t", table), ("$pk", partitionKey), ("$from", from), ("$to", range.To), ("$limit", pageSize + 1));
        using var r = cmd.ExecuteReader();
        var items = new List<TableEntity>();
        while (r.Read())
        {
            items.Add(Read(r, select));
        }
        string? next = null;
        if (items.Count > pageSize)
        {
            items.RemoveAt(items.Count - 1);
            next = Convert.ToBase64String(Encoding.UTF8.GetBytes(items[^1].RowKey));
        }
        return Task.FromResult(new TablePage(items, next));
    }

    public async Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default)
    {
        BatchRules.Validate(operations);
        await _writeGate.WaitAsync(ct);
        try
        {
            return SubmitBatch(table, operations);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private IReadOnlyList<string?> SubmitBatch(string table, IReadOnlyList<TableOperation> operations)
    {
        // One long-lived connection for writes (only ever used under the write gate): no open and
        // pragma round per batch on the hot path of every probe.
        var c = _writer ??= Open();
        EnsureTable(c, table);
        using var tx = c.BeginTransaction(deferred: false);
        var etags = new List<string?>(operations.Count);
        for (var i = 0; i < operations.Count; i++)
        {
            try
            {
                etags.Add(Apply(c, tx, table, operations[i]));
            }
            catch (TableStoreException e)
            {
                tx.Rollback();
                throw new TableStoreException(e.Kind, $"operation {i} ({operations[i].Kind} '{operations[i].Entity.RowKey}'): {e.Message}", i);
            }
        }
        tx.Commit();
        return etags;
    }

    private static string? Apply(SqliteConnection c, SqliteTransaction tx, string table, TableOperation op)
    {
        var e = op.Entity;
        var (currentEtag, currentProps) = ReadCurrent(c, tx, table, e.PartitionKey, e.RowKey);
        string props;
        switch (op.Kind)
        {
            case TableOperationKind.Insert when currentEtag is not null:
                throw new TableStoreException(TableErrorKind.Conflict, "the entity already exists");
            case TableOperationKind.UpsertMerge when currentProps is not null:
                props = SqlitePropertyCodec.Encode(SqlitePropertyCodec.Merge(SqlitePropertyCodec.Decode(currentProps), e.Properties));
                break;
            case TableOperationKind.Update or TableOperationKind.Delete:
                if (currentEtag is null)
                {
                    throw new TableStoreException(TableErrorKind.NotFound, "the entity does not exist");
                }
                if (e.ETag is not null && e.ETag != "*" && e.ETag != currentEtag)
                {
                    throw new TableStoreException(TableErrorKind.PreconditionFailed, "the entity was changed since it was read (ETag mismatch)");
                }
                if (op.Kind == TableOperationKind.Delete)
                {
                    using var del = Command(c, "DELETE FROM rows WHERE tbl=$t AND pk=$pk AND rk=$rk", ("$t", table), ("$pk", e.PartitionKey), ("$rk", e.RowKey));
                    del.Transaction = tx;
                    del.ExecuteNonQuery();
                    return null;
                }
                props = SqlitePropertyCodec.Encode(e.Properties);
                break;
            default:
                props = SqlitePropertyCodec.Encode(e.Properties);
                break;
        }
        var etag = $"W/\"{Guid.NewGuid():N}\"";
        using var cmd = Command(c, "INSERT OR REPLACE INTO rows(tbl, pk, rk, etag, ts, props) VALUES ($t, $pk, $rk, $etag, $ts, $props)",
            ("$t", table), ("$pk", e.PartitionKey), ("$rk", e.RowKey), ("$etag", etag),
            ("$ts", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)), ("$props", props));
        cmd.Transaction = tx;
        cmd.ExecuteNonQuery();
        return etag;
    }

    private static (string? ETag, string? Props) ReadCurrent(SqliteConnection c, SqliteTransaction tx, string table, string pk, string rk)
    {
        using var cmd = Command(c, "SELECT etag, props FROM rows WHERE tbl=$t AND pk=$pk AND rk=$rk", ("$t", table), ("$pk", pk), ("$rk", rk));
        cmd.Transaction = tx;
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetString(0), r.GetString(1)) : (null, null);
    }

    private static TableEntity Read(SqliteDataReader r, IReadOnlyList<string>? select = null)
    {
        var props = SqlitePropertyCodec.Decode(r.GetString(4));
        if (select is not null)
        {
            props = props.Where(p => select.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        }
        return new TableEntity(r.GetString(0), r.GetString(1), props)
        {
            ETag = r.GetString(2),
            Timestamp = DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        };
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string DecodeToken(string token)
    {
        try
        {
            return StrictUtf8.GetString(Convert.FromBase64String(token));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            throw new TableStoreException(TableErrorKind.BadRequest, "continuation token is not valid");
        }
    }

    private void EnsureTable(SqliteConnection c, string table)
    {
        // The port has no "delete table", so a table once seen stays: no need to look again.
        if (_knownTables.ContainsKey(table))
        {
            return;
        }
        using var cmd = Command(c, "SELECT 1 FROM tables WHERE name=$t", ("$t", table));
        if (cmd.ExecuteScalar() is null)
        {
            throw new TableStoreException(TableErrorKind.NotFound, $"table '{table}' does not exist");
        }
        _knownTables.TryAdd(table, true);
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _writeGate.Dispose();
    }

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        Exec(c, "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL;");
        return c;
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection c, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return cmd;
    }
}
