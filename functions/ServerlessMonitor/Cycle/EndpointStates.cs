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
    // The row's ETag and the state decoded from it once (not the row itself: at 10,000 endpoints the rows'
    // property bags were most of the cache): a steady probe reads and parses nothing.
    private readonly ConcurrentDictionary<string, StoredState> _states = new(StringComparer.Ordinal);
    private readonly string _rowKey = MonitorTables.StateKey(options.Value.Region);

    public string RowKey => _rowKey;

    public ValueTask<StoredState> GetAsync(string partition, CancellationToken ct) =>
        _states.TryGetValue(partition, out var cached) ? ValueTask.FromResult(cached) : new ValueTask<StoredState>(ReadAsync(partition, ct));

    /// <summary>
    /// Reads the rows not cached yet, <paramref name="concurrency"/> at a time (a cold start of a big catalog). A row the
    /// store refuses stays uncached (its next <see cref="GetAsync"/> reads it again); returns how many those were.
    /// </summary>
    public async Task<int> LoadAsync(IEnumerable<string> partitions, int concurrency, CancellationToken ct)
    {
        var unread = 0;
        await Parallel.ForEachAsync(partitions.Where(p => !_states.ContainsKey(p)),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
            async (partition, token) =>
            {
                try
                {
                    await ReadAsync(partition, token);
                }
                catch (TableStoreException)
                {
                    Interlocked.Increment(ref unread);
                }
            });
        return unread;
    }

    /// <summary>The cached state of <paramref name="partition"/>, without reading anything (the status gauge).</summary>
    public bool TryPeek(string partition, out StoredState state) => _states.TryGetValue(partition, out state!);

    public void Committed(string partition, string etag, EndpointState state) => _states[partition] = new StoredState(etag, state);

    /// <summary>
    /// A steady probe's state, written behind (<see cref="WriteBehind"/>): held in memory under the stored row's ETag
    /// until the end of the cycle writes it.
    /// </summary>
    public void Deferred(string partition, StoredState stored, EndpointState state) => _states[partition] = stored with { State = state, Dirty = true };

    /// <summary>The state to write behind, when <paramref name="partition"/> has one.</summary>
    public StoredState? Unwritten(string partition) => _states.TryGetValue(partition, out var s) && s.Dirty ? s : null;

    /// <summary>
    /// The written-behind state <paramref name="written"/> is stored under <paramref name="etag"/>. A probe recorded since
    /// keeps its newer state, now under the new ETag and still unwritten (returns true: write it next time).
    /// </summary>
    public bool Flushed(string partition, StoredState written, string etag)
    {
        var newer = false;
        _states.AddOrUpdate(partition, _ => written with { ETag = etag, Dirty = false }, (_, current) =>
        {
            newer = !ReferenceEquals(current, written) && current.Dirty && current.ETag == written.ETag;
            return ReferenceEquals(current, written) ? current with { ETag = etag, Dirty = false }
                : newer ? current with { ETag = etag }
                : current;
        });
        return newer;
    }

    public void Forget(string partition) => _states.TryRemove(partition, out _);

    private async Task<StoredState> ReadAsync(string partition, CancellationToken ct)
    {
        var row = await store.GetAsync(tables.Endpoints, partition, _rowKey, ct);
        var stored = row is null ? new StoredState(null, EndpointState.Initial) : new StoredState(row.ETag, StateRows.FromEntity(row));
        _states[partition] = stored;
        return stored;
    }
}

/// <summary>
/// The ETag of this region's state row of an endpoint (null before its first probe: no row) and the state it holds;
/// <see cref="Dirty"/> when the state is newer than the row (written behind, not yet flushed).
/// </summary>
public sealed record StoredState(string? ETag, EndpointState State)
{
    public bool Dirty { get; init; }
}
