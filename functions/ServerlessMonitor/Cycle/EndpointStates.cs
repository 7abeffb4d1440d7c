using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// This region's state row of every endpoint, cached with its ETag. This instance is normally the only
/// writer of its region's rows, so after the first read a steady probe reads nothing; when another writer
/// did get there (a retried shard on another instance), the ETag-guarded write fails and the recorder
/// forgets the row and reads it again.
/// </summary>
public sealed class EndpointStates(ITableStore store, MonitorTables tables, IOptions<MonitorOptions> options)
{
    private readonly ConcurrentDictionary<string, TableEntity?> _rows = new(StringComparer.Ordinal);
    private readonly string _rowKey = MonitorTables.StateKey(options.Value.Region);

    public string RowKey => _rowKey;

    public ValueTask<TableEntity?> GetRowAsync(string partition, CancellationToken ct) =>
        _rows.TryGetValue(partition, out var cached) ? ValueTask.FromResult(cached) : new ValueTask<TableEntity?>(ReadAsync(partition, ct));

    public async ValueTask<EndpointState> GetAsync(string partition, CancellationToken ct) =>
        await GetRowAsync(partition, ct) is { } row ? StateRows.FromEntity(row) : EndpointState.Initial;

    /// <summary>Reads the rows not cached yet, <paramref name="concurrency"/> at a time (a cold start of a big catalog).</summary>
    public Task LoadAsync(IEnumerable<string> partitions, int concurrency, CancellationToken ct) =>
        Parallel.ForEachAsync(partitions.Where(p => !_rows.ContainsKey(p)),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (partition, token) => await ReadAsync(partition, token));

    public void Committed(string partition, TableEntity row) => _rows[partition] = row;

    public void Forget(string partition) => _rows.TryRemove(partition, out _);

    private async Task<TableEntity?> ReadAsync(string partition, CancellationToken ct)
    {
        var row = await store.GetAsync(tables.Endpoints, partition, _rowKey, ct);
        _rows[partition] = row;
        return row;
    }
}
