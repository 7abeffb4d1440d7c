using System.Collections.Concurrent;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Rollups;

/// <summary>
/// Produces the hourly and daily rollup rows a probe updates, for the probe's own batch. Each region
/// is the only writer of its rollup rows, so the current rows are cached with their ETags: a steady
/// probe reads nothing. A row not in the cache is assumed new (Insert); if it did exist after all
/// (a restart mid-hour), the batch fails with Conflict and the retry reads it (<c>verify</c>).
/// </summary>
public sealed class RollupWriter(ITableStore store, MonitorTables tables)
{
    // The current hourly and daily row of each partition: a new period simply replaces the old one.
    private readonly ConcurrentDictionary<(string Partition, RollupPeriod Period), TableEntity> _current = new();

    public async Task<IReadOnlyList<TableEntity>> NextAsync(string partition, string region, Observation o, bool inMaintenance, bool verify,
        CancellationToken ct)
    {
        var answered = o.ErrorKind is null or ErrorKind.HttpStatus or ErrorKind.Condition;
        var rows = new List<TableEntity>(2);
        foreach (var key in new[] { RollupKeys.Hourly(o.CheckedAt, region), RollupKeys.Daily(o.CheckedAt, region) })
        {
            var current = _current.TryGetValue((partition, RollupKeys.PeriodOf(key)), out var cached) && cached.RowKey == key ? cached
                : verify ? await store.GetAsync(tables.Endpoints, partition, key, ct) : null;
            var totals = (current is null ? RollupTotals.Empty : RollupTotals.FromEntity(current))
                .Record(o.Outcome, inMaintenance, o.ResponseTimeMs, answered);
            rows.Add(new TableEntity(partition, key, totals.ToProperties()) { ETag = current?.ETag });
        }
        return rows;
    }

    public static TableOperation Operation(TableEntity row) => row.ETag is null ? TableOperation.Insert(row) : TableOperation.Update(row);

    /// <summary>After the batch committed: these rows are now current; older periods drop out of the cache.</summary>
    public void Committed(string partition, TableEntity row, string? etag) =>
        _current[(partition, RollupKeys.PeriodOf(row.RowKey))] = row with { ETag = etag };

    public void Forget(string partition)
    {
        _current.TryRemove((partition, RollupPeriod.Hourly), out _);
        _current.TryRemove((partition, RollupPeriod.Daily), out _);
    }
}
