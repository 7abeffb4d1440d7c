using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// What a steady probe may leave in memory (DESIGN §5, write contract): its state row (last check, counters) and its rollup
/// increments, written at most once per cycle or shard by <see cref="FlushAsync"/>. Only on SQLite, where every row costs
/// the one writer time: there a steady probe's durable write is its result row alone and the deferred rows of a cycle go in
/// a few large transactions. On Table Storage a batch costs one transaction whatever its rows, so the probe's own batch
/// carries them and nothing waits. A crash loses at most the current cycle's deferred rows; a transition is never deferred.
/// </summary>
public sealed class WriteBehind(ITableStore store, MonitorTables tables, EndpointStates states, RollupWriter rollups,
    IOptions<StorageOptions> storage, ILogger<WriteBehind> logger)
{
    private readonly ConcurrentDictionary<string, byte> _unwritten = new(StringComparer.Ordinal);

    /// <summary>Whether steady probes defer their state and rollup rows (SQLite).</summary>
    public bool Enabled { get; } = storage.Value is { Mode: StorageMode.Sqlite, WriteBehind: true };

    /// <summary>Partitions holding rows not written yet.</summary>
    public int Pending => _unwritten.Count;

    /// <summary>A steady probe's state and rollups stay in memory until the next flush.</summary>
    public void Defer(string partition, StoredState stored, EndpointState next, IReadOnlyList<RollupRow> rows)
    {
        states.Deferred(partition, stored, next);
        foreach (var row in rows)
        {
            rollups.Deferred(partition, row);
        }
        _unwritten[partition] = 0;
    }

    /// <summary>A durable batch wrote everything of the partition (a transition): nothing of it waits any more.</summary>
    public void Written(string partition) => _unwritten.TryRemove(partition, out _);

    /// <summary>
    /// Writes every deferred row: one batch per partition, all submitted together so SQLite commits them in a few
    /// transactions. A batch the store refuses (another writer changed the row) is dropped and the partition's cache
    /// forgotten, so its next probe reads what is stored; that loses at most this cycle's deferred figures. Returns
    /// how many partitions were written.
    /// </summary>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        var partitions = _unwritten.Keys.ToList();
        var written = await Task.WhenAll(partitions.Select(p => FlushAsync(p, ct)));
        return written.Count(w => w);
    }

    private async Task<bool> FlushAsync(string partition, CancellationToken ct)
    {
        _unwritten.TryRemove(partition, out _);
        var state = states.Unwritten(partition);
        var rows = rollups.Unwritten(partition);
        var batch = rows.Select(RollupWriter.Operation).ToList();
        if (state is not null)
        {
            var entity = StateRows.ToEntity(partition, states.RowKey, state.State, state.ETag);
            batch.Add(state.ETag is null ? TableOperation.Insert(entity) : TableOperation.Update(entity));
        }
        if (batch.Count == 0)
        {
            return false;
        }
        try
        {
            var etags = await store.SubmitBatchAsync(tables.Endpoints, batch, ct);
            var again = false;
            for (var i = 0; i < rows.Count; i++)
            {
                again |= rollups.Flushed(partition, rows[i], etags[i]);
            }
            again |= state is not null && states.Flushed(partition, state, etags[^1]!);
            if (again)
            {
                _unwritten[partition] = 0;
            }
            return true;
        }
        catch (TableStoreException e) when (e.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.Conflict)
        {
            logger.LogWarning("Deferred rows of {Partition} not written ({Kind}): {Reason}; its next probe reads what is stored",
                partition, e.Kind, e.Message);
            states.Forget(partition);
            rollups.Forget(partition);
            return false;
        }
        catch (Exception e) when (e is TableStoreException or OperationCanceledException)
        {
            // The store is unavailable (or the host stops): the rows stay in memory for the next flush.
            _unwritten[partition] = 0;
            if (e is TableStoreException t)
            {
                logger.LogWarning("Deferred rows of {Partition} not written ({Kind}): {Reason}; the next flush tries again", partition, t.Kind, t.Message);
                return false;
            }
            throw;
        }
    }
}

/// <summary>A host that stops in good order writes what steady probes left in memory; only a crash loses it.</summary>
internal sealed class WriteBehindOnStop(WriteBehind behind) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => behind.FlushAsync(cancellationToken);
}
