using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace ServerlessMonitor.Storage.Sqlite;

/// <summary>
/// The embedded backend: every logical table lives in one SQLite table keyed by (table, pk, rk).
/// Each batch is all-or-nothing like an Azure entity group transaction (a savepoint inside the group
/// commit of <see cref="SqliteGroupWriter"/>). Safe across processes thanks to WAL and a busy timeout.
/// </summary>
internal sealed class SqliteTableStore : ITableStore, IDisposable, IAsyncDisposable
{
    private const int MaxPageSize = 1000;
    private readonly string _connectionString;

    // SQLite allows one writer at a time: this process's batches go through one group-committing writer
    // (its own connection). Other processes still coordinate via busy_timeout.
    private readonly SqliteGroupWriter _writer;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _knownTables = new(StringComparer.Ordinal);

    // Steady result rows live packed in a table of their own (SqlitePackedSchema); reads merge them back in.
    private readonly SqlitePackedReader _packed = new();

    public SqliteTableStore(string path) : this(path, SqliteGroupWriter.DefaultCommitInterval)
    {
    }

    /// <param name="path">The database file.</param>
    /// <param name="commitInterval">The writer's pause between commits in a stream of writes (tests: a long one, to see grouping).</param>
    internal SqliteTableStore(string path, TimeSpan commitInterval)
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
            """ + SqlitePackedSchema.Create);
        _writer = new SqliteGroupWriter(Open(), Open(), EnsureTable, commitInterval);
    }

    /// <summary>Transactions this process's writer committed.</summary>
    internal long Commits => _writer.Commits;

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
        return Task.FromResult(r.Read() ? Read(r) : _packed.Get(c, table, partitionKey, rowKey));
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
        items = Merge(items, _packed.Query(c, table, partitionKey, from, fromExclusive, range.To, pageSize + 1, select), pageSize + 1);
        string? next = null;
        if (items.Count > pageSize)
        {
            items.RemoveAt(items.Count - 1);
            next = Convert.ToBase64String(Encoding.UTF8.GetBytes(items[^1].RowKey));
        }
        return Task.FromResult(new TablePage(items, next));
    }

    public Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default)
    {
        BatchRules.Validate(operations);
        return _writer.SubmitAsync(table, operations, ct);
    }

    /// <summary>Two pages in row-key order made one, up to <paramref name="limit"/> rows.</summary>
    private static List<TableEntity> Merge(List<TableEntity> full, IReadOnlyList<TableEntity> packed, int limit)
    {
        if (packed.Count == 0)
        {
            return full;
        }
        return [.. full.Concat(packed).OrderBy(e => e.RowKey, StringComparer.Ordinal).Take(limit)];
    }

    private static TableEntity Read(SqliteDataReader r, IReadOnlyList<string>? select = null)
    {
        var props = SqlitePropertyCodec.Decode(r.GetFieldValue<byte[]>(4), select);
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

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

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
