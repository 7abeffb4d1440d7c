using System.Collections.Concurrent;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Rollups;

/// <summary>
/// Produces the hourly and daily rollup rows a probe updates. Each region is the only writer of its rollup rows, so the
/// current rows are cached with their ETags: a steady probe reads nothing. A row not in the cache is assumed new (Insert);
/// if it did exist after all (a restart mid-hour), the batch fails with Conflict and the retry reads it (<c>verify</c>).
/// Written behind (<see cref="Deferred"/>), a row's totals run ahead of the stored row until the end of the cycle writes
/// it (<see cref="Unwritten"/>); when a new hour or day replaces an unwritten row, that row comes back from
/// <see cref="NextAsync"/> as a closing row for the probe's own batch, so no period's last increments wait on a flush.
/// </summary>
public sealed class RollupWriter(ITableStore store, MonitorTables tables)
{
    // The current hourly and daily row of each partition: a new period simply replaces the old one.
    // Kept decoded, so a steady probe neither reads nor parses.
    private readonly ConcurrentDictionary<(string Partition, RollupPeriod Period), Current> _current = new();

    /// <param name="verify">Read a row that is not cached (a retry after Conflict).</param>
    /// <param name="readCold">Read a row when the partition has no cached row of that period at all (written behind, a
    /// cold start must not assume a new row: its flush would fail every cycle).</param>
    public async Task<IReadOnlyList<RollupRow>> NextAsync(string partition, string region, Observation o, bool inMaintenance, bool verify,
        bool readCold, CancellationToken ct)
    {
        var answered = o.ErrorKind is null or ErrorKind.HttpStatus or ErrorKind.Condition;
        var rows = new List<RollupRow>(2);
        await AddAsync(RollupKeys.Hourly(o.CheckedAt, region));
        await AddAsync(RollupKeys.Daily(o.CheckedAt, region));
        return rows;

        async Task AddAsync(string key)
        {
            var cached = _current.GetValueOrDefault((partition, RollupKeys.PeriodOf(key)));
            if (cached is { Dirty: true } && cached.RowKey != key)
            {
                rows.Insert(0, new RollupRow(cached.ToEntity(partition), cached.Totals) { Closing = true });
            }
            var read = verify || (readCold && cached is null);
            var current = cached?.RowKey == key ? cached
                : read && await store.GetAsync(tables.Endpoints, partition, key, ct) is { } stored ? new Current(key, stored.ETag, RollupTotals.FromEntity(stored))
                : null;
            var totals = (current?.Totals ?? RollupTotals.Empty).Record(o.Outcome, inMaintenance, o.ResponseTimeMs, answered);
            rows.Add(new RollupRow(new TableEntity(partition, key, totals.ToProperties()) { ETag = current?.ETag }, totals));
        }
    }

    public static TableOperation Operation(RollupRow row) => row.Row.ETag is null ? TableOperation.Insert(row.Row) : TableOperation.Update(row.Row);

    /// <summary>After the batch committed: these rows are now current; older periods drop out of the cache.</summary>
    public void Committed(string partition, RollupRow row, string? etag)
    {
        if (!row.Closing)
        {
            _current[(partition, RollupKeys.PeriodOf(row.Row.RowKey))] = new Current(row.Row.RowKey, etag, row.Totals);
        }
    }

    /// <summary>The row is current but written behind: its totals wait in memory under the stored row's ETag.</summary>
    public void Deferred(string partition, RollupRow row)
    {
        if (!row.Closing)
        {
            _current[(partition, RollupKeys.PeriodOf(row.Row.RowKey))] = new Current(row.Row.RowKey, row.Row.ETag, row.Totals, Dirty: true);
        }
    }

    /// <summary>The rows of <paramref name="partition"/> written behind and not stored yet.</summary>
    public IReadOnlyList<RollupRow> Unwritten(string partition)
    {
        var rows = new List<RollupRow>(2);
        foreach (var period in (ReadOnlySpan<RollupPeriod>)[RollupPeriod.Hourly, RollupPeriod.Daily])
        {
            if (_current.TryGetValue((partition, period), out var c) && c.Dirty)
            {
                rows.Add(new RollupRow(c.ToEntity(partition), c.Totals));
            }
        }
        return rows;
    }

    /// <summary>
    /// A written-behind row is stored under <paramref name="etag"/>. A probe recorded since keeps its newer totals under the new
    /// ETag, still unwritten (returns true).
    /// </summary>
    public bool Flushed(string partition, RollupRow written, string? etag)
    {
        var newer = false;
        _current.AddOrUpdate((partition, RollupKeys.PeriodOf(written.Row.RowKey)), _ => new Current(written.Row.RowKey, etag, written.Totals),
            (_, c) =>
            {
                var same = c.RowKey == written.Row.RowKey && c.ETag == written.Row.ETag;
                newer = same && c.Dirty && !ReferenceEquals(c.Totals, written.Totals);
                return !same ? c : c with { ETag = etag, Dirty = newer };
            });
        return newer;
    }

    public void Forget(string partition)
    {
        _current.TryRemove((partition, RollupPeriod.Hourly), out _);
        _current.TryRemove((partition, RollupPeriod.Daily), out _);
    }

    // The current row's key and ETag with the totals it holds (not the row's property bag); Dirty = not stored yet.
    private sealed record Current(string RowKey, string? ETag, RollupTotals Totals, bool Dirty = false)
    {
        public TableEntity ToEntity(string partition) => new(partition, RowKey, Totals.ToProperties()) { ETag = ETag };
    }
}

/// <summary>A rollup row to write, with the totals it holds; <see cref="Closing"/> = the last write of a period that has ended.</summary>
public sealed record RollupRow(TableEntity Row, RollupTotals Totals)
{
    public bool Closing { get; init; }
}
