using Microsoft.Extensions.Options;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.ReadModel;

/// <summary>
/// Tells the instances sharing a Table Storage store that incidents, reports or admin settings changed, so none of them
/// keeps serving what <see cref="RareInputs"/> read before. One row holds a stamp: a change moves it (<see cref="ChangedAsync"/>),
/// a snapshot build reads it once and, when it moved since the last build, makes the kept reads stale (<see cref="CatchUpAsync"/>).
/// A stamp this instance wrote itself also counts as moved: one extra read of the rare inputs, never a change missed to a race
/// with another instance's stamp. On SQLite the store is this process's own and nothing is read or written.
/// </summary>
public sealed class RareMarker(ITableStore store, MonitorTables tables, ChangedServices changed, IOptions<StorageOptions> storage, ILogger<RareMarker> logger)
{
    private const string StampProperty = "Stamp";
    private string? lastSeen;

    private bool StoreIsShared => storage.Value.Mode == StorageMode.Tables;

    /// <summary>
    /// Moves the shared stamp after a change another instance must learn of. A failure is logged, not thrown: the change is
    /// written, and the other instances' kept reads still end with the time they were read for (the day, the report window).
    /// </summary>
    public async Task ChangedAsync(CancellationToken ct)
    {
        if (!StoreIsShared)
        {
            return;
        }
        var row = new TableEntity(MonitorTables.ReadModelPartition, MonitorTables.RareMarkerKey,
            new Dictionary<string, object?> { [StampProperty] = Guid.NewGuid().ToString("N") });
        try
        {
            await store.ExecuteAsync(tables.Status, TableOperation.UpsertReplace(row), ct);
        }
        catch (TableStoreException e)
        {
            logger.LogWarning("Read model marker not moved: {Reason}; other instances read incidents and reports again when their kept reads expire", e.Message);
        }
    }

    /// <summary>
    /// Called as a build starts (one point read): when the stamp moved since the last build, what was kept of the rare inputs is
    /// read again. When the stamp cannot be read, everything kept is read again too - the safe side.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        if (!StoreIsShared)
        {
            return;
        }
        string? stamp;
        try
        {
            stamp = (await store.GetAsync(tables.Status, MonitorTables.ReadModelPartition, MonitorTables.RareMarkerKey, ct))?.GetString(StampProperty);
        }
        catch (TableStoreException e)
        {
            logger.LogWarning("Read model marker not read: {Reason}; this build reads incidents and reports again", e.Message);
            changed.RarelyChanged();
            lastSeen = null;
            return;
        }
        if (!string.Equals(stamp, lastSeen, StringComparison.Ordinal))
        {
            changed.RarelyChanged();
            lastSeen = stamp;
        }
    }
}
