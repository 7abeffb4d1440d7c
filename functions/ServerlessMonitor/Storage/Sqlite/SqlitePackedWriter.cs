using System.Globalization;
using SQLitePCL;

namespace ServerlessMonitor.Storage.Sqlite;

/// <summary>
/// The writer's side of packed results (<see cref="SqlitePackedSchema"/>). An operation on a result row key is looked at
/// here first: a steady result inserted or replaced is packed (and a full row under its key removed); any other row under
/// a result key goes to <c>rows</c> as before, after a packed row of that key was removed (replace), refused (insert),
/// checked and deleted (delete) or moved to <c>rows</c> in full (merge, update), so one key is never in both tables.
/// </summary>
internal sealed class SqlitePackedWriter(sqlite3 db) : IDisposable
{
    private readonly SqliteStatement _insert = new(db, "INSERT INTO results_v1(part, at, region, ts, v) VALUES ($p, $a, $r, $ts, $v) ON CONFLICT DO NOTHING");
    private readonly SqliteStatement _replace = new(db, "INSERT INTO results_v1(part, at, region, ts, v) VALUES ($p, $a, $r, $ts, $v) ON CONFLICT DO UPDATE SET ts = excluded.ts, v = excluded.v");
    private readonly SqliteStatement _delete = new(db, "DELETE FROM results_v1 WHERE part = $p AND at = $a AND region = $r");
    private readonly SqliteStatement _read = new(db, "SELECT ts, v FROM results_v1 WHERE part = $p AND at = $a AND region = $r");
    private readonly SqliteStatement _rowExists = new(db, "SELECT 1 FROM rows WHERE tbl = $t AND pk = $pk AND rk = $rk");
    private readonly SqliteStatement _rowDelete = new(db, "DELETE FROM rows WHERE tbl = $t AND pk = $pk AND rk = $rk");
    private readonly SqliteStatement _rowPut = new(db, "INSERT OR REPLACE INTO rows(tbl, pk, rk, etag, ts, props) VALUES ($t, $pk, $rk, $etag, $ts, $props)");
    private readonly SqliteStatement _nameId = new(db, "SELECT id FROM names WHERE text = $text");
    private readonly SqliteStatement _nameText = new(db, "SELECT text FROM names WHERE id = $id");
    private readonly SqliteStatement _nameAdd = new(db, "INSERT INTO names(text) VALUES ($text)");
    private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string> _texts = [];
    private (string Text, long Ms) _now = ("", 0);

    /// <summary>Whether the operation was done here (with the new ETag, null for a delete); false leaves it to <c>rows</c>.</summary>
    public bool TryApply(string table, TableOperation op, string now, out string? etag)
    {
        etag = null;
        var e = op.Entity;
        if (!MonitorTables.TryParseResultKey(e.RowKey, out var at, out var region))
        {
            return false;
        }
        if (op.Kind is TableOperationKind.Insert or TableOperationKind.UpsertReplace
            && PackedResultCodec.TryPack(e, at, region, Intern) is { } packed)
        {
            etag = Write(table, op, Intern(SqlitePackedSchema.PartName(table, e.PartitionKey)), at, region, packed, now);
            return true;
        }
        if (Find(SqlitePackedSchema.PartName(table, e.PartitionKey)) is not { } part || Read(part, at, region) is not { } stored)
        {
            return false;
        }
        var storedEtag = SqlitePackedSchema.ETag(stored.Ts, stored.Packed);
        switch (op.Kind)
        {
            case TableOperationKind.Insert:
                throw new TableStoreException(TableErrorKind.Conflict, "the entity already exists");
            case TableOperationKind.Delete when e.ETag is not (null or "*") && e.ETag != storedEtag:
                throw new TableStoreException(TableErrorKind.PreconditionFailed, "the entity was changed since it was read (ETag mismatch)");
            case TableOperationKind.Delete:
                Key(_delete, part, at, region).Run();
                return true;
            case TableOperationKind.UpsertReplace:
                Key(_delete, part, at, region).Run();
                return false;
            default:
                // Merge or update: the row becomes a full row with its ETag, and the operation applies to it there.
                Key(_delete, part, at, region).Run();
                var props = PackedResultCodec.Unpack(stored.Packed, at, region, Text);
                _rowPut.BindKey(table, e.PartitionKey, e.RowKey);
                _rowPut.Bind("$etag", storedEtag);
                _rowPut.Bind("$ts", SqlitePackedSchema.Timestamp(stored.Ts).ToString("O", CultureInfo.InvariantCulture));
                _rowPut.Bind("$props", SqlitePropertyCodec.EncodeUtf8(props));
                _rowPut.Run();
                return false;
        }
    }

    private string Write(string table, TableOperation op, long part, long at, string region, byte[] packed, string now)
    {
        var e = op.Entity;
        var ts = Millis(now);
        if (op.Kind == TableOperationKind.Insert)
        {
            _rowExists.BindKey(table, e.PartitionKey, e.RowKey);
            if (_rowExists.Step() || Key(_insert, part, at, region, ts, packed).Run() == 0)
            {
                throw new TableStoreException(TableErrorKind.Conflict, "the entity already exists");
            }
        }
        else
        {
            _rowDelete.BindKey(table, e.PartitionKey, e.RowKey);
            _rowDelete.Run();
            Key(_replace, part, at, region, ts, packed).Run();
        }
        return SqlitePackedSchema.ETag(ts, packed);
    }

    private (long Ts, byte[] Packed)? Read(long part, long at, string region)
    {
        (long, byte[])? row = null;
        Key(_read, part, at, region).Step(s => row = (raw.sqlite3_column_int64(s, 0), raw.sqlite3_column_blob(s, 1).ToArray()));
        return row;
    }

    private SqliteStatement Key(SqliteStatement st, long part, long at, string region, long? ts = null, byte[]? packed = null)
    {
        st.Bind("$p", part);
        st.Bind("$a", at);
        st.Bind("$r", region);
        if (ts is { } t)
        {
            st.Bind("$ts", t);
            st.BindBlob("$v", packed!);
        }
        return st;
    }

    private long Intern(string text)
    {
        if (Find(text) is { } id)
        {
            return id;
        }
        _nameAdd.Bind("$text", text);
        _nameAdd.Run();
        var added = raw.sqlite3_last_insert_rowid(db);
        _ids[text] = added;
        return added;
    }

    private long? Find(string text)
    {
        if (_ids.TryGetValue(text, out var known))
        {
            return known;
        }
        long? id = null;
        _nameId.Bind("$text", text);
        _nameId.Step(s => id = raw.sqlite3_column_int64(s, 0));
        if (id is { } found)
        {
            _ids[text] = found;
        }
        return id;
    }

    private string Text(long id)
    {
        if (_texts.TryGetValue(id, out var known))
        {
            return known;
        }
        string? text = null;
        _nameText.Bind("$id", id);
        _nameText.Step(s => text = raw.sqlite3_column_text(s, 0).utf8_to_string());
        return _texts[id] = text ?? throw new InvalidDataException($"packed result: name {id} is missing");
    }

    private long Millis(string now)
    {
        if (_now.Text != now)
        {
            _now = (now, DateTimeOffset.Parse(now, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToUnixTimeMilliseconds());
        }
        return _now.Ms;
    }

    /// <summary>After a rollback: names numbered since the last commit may be gone, so every number is looked up again.</summary>
    public void Forget()
    {
        _ids.Clear();
        _texts.Clear();
    }

    public void Dispose()
    {
        foreach (var st in new[] { _insert, _replace, _delete, _read, _rowExists, _rowDelete, _rowPut, _nameId, _nameText, _nameAdd })
        {
            st.Dispose();
        }
    }
}
