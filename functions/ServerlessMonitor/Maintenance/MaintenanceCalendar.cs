using ServerlessMonitor.Catalog;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Maintenance;

/// <summary>
/// Answers "is this endpoint in planned maintenance now?" from the catalog's windows and the windows
/// added through the admin API. Stored windows are cached for <see cref="CacheFor"/> so a probe cycle
/// costs one table query per half minute, not one per endpoint; a change made through this instance
/// refreshes at once, other instances and regions pick it up within the cache period.
/// </summary>
public sealed class MaintenanceCalendar(CatalogProvider catalog, MaintenanceStore store, TimeProvider time, ILogger<MaintenanceCalendar> logger)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _snapshot;

    /// <summary>From the catalog and the stored windows as last loaded.</summary>
    public bool Covers(string service, string endpoint, DateTimeOffset now) => Covers(catalog.Current, service, endpoint, now);

    /// <summary>From the given catalog (a probe cycle's, read once) and the stored windows as last loaded.</summary>
    public bool Covers(MonitorCatalog inForce, string service, string endpoint, DateTimeOffset now) =>
        inForce.Maintenance.Any(w => w.Covers(service, endpoint, now))
        || (_snapshot?.Windows.Any(w => w.Window.Covers(service, endpoint, now)) ?? false);

    /// <summary>Like <see cref="Covers(MonitorCatalog, string, string, DateTimeOffset)"/>, reloading the stored windows first when the cache is stale.</summary>
    public async ValueTask<bool> CoversAsync(MonitorCatalog inForce, string service, string endpoint, DateTimeOffset now, CancellationToken ct)
    {
        if (IsStale(_snapshot))
        {
            await RefreshAsync(force: false, ct);
        }
        return Covers(inForce, service, endpoint, now);
    }

    /// <summary>The stored windows, fresh from the table (the admin API lists these).</summary>
    public async Task<IReadOnlyList<StoredMaintenanceWindow>> StoredAsync(CancellationToken ct) => (await RefreshAsync(force: true, ct)).Windows;

    public async Task<Snapshot> RefreshAsync(bool force, CancellationToken ct)
    {
        await _refresh.WaitAsync(ct);
        try
        {
            // Concurrent probes that all found the cache stale load it once.
            if (!force && _snapshot is { } current && !IsStale(current))
            {
                return current;
            }
            try
            {
                _snapshot = new Snapshot(await store.ReadAllAsync(ct), time.GetUtcNow());
            }
            catch (TableStoreException e) when (!force)
            {
                // A storage hiccup must not stop probing, on a cold start either: keep the windows known so far (none
                // yet: the catalog's still apply) and try again next period rather than on every probe.
                logger.LogWarning(e, "Reading maintenance windows failed; using the {Count} loaded earlier until {Retry:O}",
                    _snapshot?.Windows.Count ?? 0, time.GetUtcNow() + CacheFor);
                _snapshot = new Snapshot(_snapshot?.Windows ?? [], time.GetUtcNow());
            }
            return _snapshot;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private bool IsStale(Snapshot? s)
    {
        var now = time.GetUtcNow();
        return s is null || now - s.LoadedAt >= CacheFor || now < s.LoadedAt;
    }

    public sealed record Snapshot(IReadOnlyList<StoredMaintenanceWindow> Windows, DateTimeOffset LoadedAt);
}
