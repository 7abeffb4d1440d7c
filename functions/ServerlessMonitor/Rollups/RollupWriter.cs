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
    // Kept decoded, so a steady probe neither reads nor parses.
    private readonly ConcurrentDictionary<(string Partition, RollupPeriod Period), Current> _current = new();

    public async Task<IReadOnlyList<RollupRow>> NextAsync(string partition, string region, Observation o, bool inMaintenance, bool verify,
        CancellationToken ct)
    {
        var answered = o.ErrorKind is null or ErrorKind.HttpStatus or ErrorKind.Condition;
        return [await NextRowAsync(RollupKeys.Hourly(o.CheckedAt, region)), await NextRowAsync(RollupKeys.Daily(o.CheckedAt, region))];

        async Task<RollupRow> NextRowAsync(string key)
        {
            var current = _current.TryGetValue((partition, RollupKeys.PeriodOf(key)), out var cached) && cached.RowKey == key ? cached
                : verify && await store.GetAsync(tables.Endpoints, partition, key, ct) is { } stored ? new Current(key, stored.ETag, RollupTotals.FromEntity(stored))
                : null;
            var totals = (current?.Totals ?? RollupTotals.Empty).Record(o.Outcome, inMaintenance, o.ResponseTimeMs, answered);
            return new RollupRow(new TableEntity(partition, key, totals.ToProperties()) { ETag = current?.ETag }, totals);
        }
    }

    public static TableOperation Operation(RollupRow row) => row.Row.ETag is null ? TableOperation.Insert(row.Row) : TableOperation.Update(row.Row);

    /// <summary>After the batch committed: these rows are now current; older periods drop out of the cache.</summary>
    public void Committed(string partition, RollupRow row, string? etag) =>
        _current[(partition, RollupKeys.PeriodOf(row.Row.RowKey))] = new Current(row.Row.RowKey, etag, row.Totals);

    public void Forget(string partition)
    {
        _current.TryRemove((partition, RollupPeriod.Hourly), out _);
        _current.TryRemove((partition, RollupPeriod.Daily), out _);
    }

    // The current row's key and ETag with the totals it holds (not the row's property bag).
    private sealed record Current(string RowKey, string? ETag, RollupTotals Totals);
}

/// <summary>A rollup row to write, with the totals it holds.</summary>
public sealed record RollupRow(TableEntity Row, RollupTotals Totals);
