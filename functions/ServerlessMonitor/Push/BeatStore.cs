using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Push;

/// <summary>
/// Stores beats so that the newest wins: read the row, merge (<see cref="PushBeat.Merge"/>), write it guarded by
/// the ETag; when another instance wrote in between, read again. The write returns only once it is durable, so a
/// job's 200 means the beat counts, even if the instance dies right after.
/// </summary>
internal sealed class BeatStore(ITableStore store, MonitorTables tables)
{
    private const int MaxAttempts = 8;

    /// <summary>The beat now stored (this one, or a newer one another instance already had).</summary>
    public async Task<PushBeat> RecordAsync(string partition, IncomingBeat incoming, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = await store.GetAsync(tables.Endpoints, partition, PushRows.BeatKey, ct);
            var stored = row is null ? null : PushRows.ToBeat(row);
            if (PushBeat.Merge(stored, incoming) is not { } merged)
            {
                return stored!;
            }
            var entity = PushRows.Beat(partition, merged, row?.ETag);
            try
            {
                await store.SubmitBatchAsync(tables.Endpoints, [row is null ? TableOperation.Insert(entity) : TableOperation.Update(entity)], ct);
                return merged;
            }
            catch (TableStoreException e) when (e.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.Conflict && attempt < MaxAttempts)
            {
                // Another instance stored a beat for this endpoint between our read and write: merge with that one.
            }
        }
    }

    public async Task<PushBeat?> ReadAsync(string partition, CancellationToken ct) =>
        await store.GetAsync(tables.Endpoints, partition, PushRows.BeatKey, ct) is { } row ? PushRows.ToBeat(row) : null;

    public async Task<PushWatch?> ReadWatchAsync(string partition, string region, CancellationToken ct) =>
        PushRows.ToWatch(await store.GetAsync(tables.Endpoints, partition, PushRows.WatchKey(region), ct));

    public Task WriteWatchAsync(string partition, string region, PushWatch watch, CancellationToken ct) =>
        store.SubmitBatchAsync(tables.Endpoints, [TableOperation.UpsertReplace(PushRows.Watch(partition, region, watch))], ct);
}
