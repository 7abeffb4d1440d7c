using Microsoft.Extensions.Options;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// Removes the done markers of fan-outs finished more than Subscriptions:DeliveryRetention ago, day by day through the
/// <c>done-{day}</c> index (<see cref="DeliveryRows"/>), from the day after the stored cursor. A marker only stops a
/// re-dispatch of its outbox row from sending again, and the outbox keeps a delivered row far less long. Runs after a
/// fan-out finishes, at most once a day per instance; a failure is logged and tried again the next time.
/// </summary>
public sealed class DeliveryPurge(ITableStore store, MonitorTables tables, IOptions<SubscriptionsOptions> options, TimeProvider time,
    ILogger<DeliveryPurge> logger)
{
    /// <summary>Days looked back on the first run (no cursor yet), and at most per run.</summary>
    public const int MaxDaysPerRun = 60;

    private DateOnly _lastRun;

    /// <summary>Purges when this instance has not purged today; never throws for a store failure.</summary>
    public async Task RunIfDueAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (_lastRun == today)
        {
            return;
        }
        try
        {
            await PurgeAsync(ct);
            _lastRun = today;
        }
        catch (TableStoreException e)
        {
            logger.LogWarning("Old subscriber delivery markers not purged: {Reason}; tried again after the next fan-out", e.Message);
        }
    }

    /// <summary>Returns the markers removed.</summary>
    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        // Whole days only: every event of the last day purged finished before now - retention.
        var through = DateOnly.FromDateTime((time.GetUtcNow() - options.Value.DeliveryRetention).UtcDateTime).AddDays(-1);
        var cursor = DeliveryRows.CursorDay(await store.GetAsync(tables.SubscriberDeliveries, DeliveryRows.CursorPartition, DeliveryRows.CursorKey, ct));
        var from = cursor?.AddDays(1) ?? through.AddDays(1 - MaxDaysPerRun);
        if (from < through.AddDays(1 - MaxDaysPerRun))
        {
            from = through.AddDays(1 - MaxDaysPerRun);
        }
        var removed = 0;
        for (var day = from; day <= through; day = day.AddDays(1))
        {
            var purged = await PurgeDayAsync(day, ct);
            if (purged > 0 || day == through)
            {
                // Moved on after each day that had markers: a run cut short starts again where it stopped.
                await store.ExecuteAsync(tables.SubscriberDeliveries, TableOperation.UpsertReplace(DeliveryRows.Cursor(day)), ct);
            }
            removed += purged;
        }
        return removed;
    }

    private async Task<int> PurgeDayAsync(DateOnly day, CancellationToken ct)
    {
        var partition = DeliveryRows.DonePartition(day);
        var events = new List<string>();
        await foreach (var entry in store.QueryAllAsync(tables.SubscriberDeliveries, partition, RowKeyRange.All, ["RowKey"], ct))
        {
            events.Add(entry.RowKey);
        }
        foreach (var eventId in events)
        {
            await DeleteAsync(eventId, DeliveryRows.MarkerKey, ct);
        }
        // The index entries last: a purge cut short finds its markers again next time.
        foreach (var chunk in events.Chunk(TableStoreExtensions.MaxBatchOperations))
        {
            await store.SubmitBatchAsync(tables.SubscriberDeliveries, chunk.Select(e => TableOperation.Delete(partition, e)).ToList(), ct);
        }
        return events.Count;
    }

    private async Task DeleteAsync(string partition, string rowKey, CancellationToken ct)
    {
        try
        {
            await store.ExecuteAsync(tables.SubscriberDeliveries, TableOperation.Delete(partition, rowKey), ct);
        }
        catch (TableStoreException e) when (e.Kind == TableErrorKind.NotFound)
        {
            // Already gone: purging is idempotent.
        }
    }
}
