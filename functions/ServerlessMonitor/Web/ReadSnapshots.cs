using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Web;

/// <summary>
/// The snapshot this instance serves. The probe cycle and admin changes publish a new one (built here,
/// then stored for the other instances); requests call <see cref="RefreshIfDue"/>, which never waits, and read
/// <see cref="Current"/>: when the snapshot is missing, built for an older catalog, or (with a shared Table Storage store) due
/// for a version check, one background refresh starts and requests keep the previous snapshot meanwhile.
/// </summary>
internal sealed class ReadSnapshots(SnapshotBuilder builder, StoredSnapshots stored, CatalogProvider catalog, ReadModel.ChangedServices changed, ReadModel.RareMarker rare, IOptions<WebOptions> web,
    IOptions<StorageOptions> storage, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<ReadSnapshots> logger)
{
    private readonly SemaphoreSlim building = new(1, 1);
    private volatile Served? served;
    private long nextCheckTicks;
    private int refreshing;

    /// <summary>Another instance can only publish through a shared store; SQLite is this process's own.</summary>
    private bool StoreIsShared => storage.Value.Mode == StorageMode.Tables;

    /// <summary>The snapshot served now; null before the first one. Reading it starts nothing (see <see cref="RefreshIfDue"/>).</summary>
    public PublicSnapshot? Current => served?.Snapshot;

    /// <summary>
    /// Starts one background refresh when the snapshot is missing, built for an older catalog, or (with a shared store)
    /// due for a version check, and returns at once: the request that calls it is served the current snapshot meanwhile.
    /// </summary>
    public void RefreshIfDue()
    {
        var now = served;
        if (now is null || !ReferenceEquals(now.Catalog, catalog.Current) || (StoreIsShared && CheckIsDue()))
        {
            StartRefresh();
        }
    }

    /// <summary>Builds the read model from storage now, serves it, and stores it for the other instances.</summary>
    public async Task PublishAsync(CancellationToken ct)
    {
        var before = served?.Snapshot;
        var snapshot = await BuildAsync(ct);
        if (ReferenceEquals(snapshot, before) || !ReferenceEquals(snapshot, served?.Snapshot))
        {
            return; // nothing changed since the snapshot that is served (and stored) already, or this one was not served
        }
        try
        {
            await stored.WriteAsync(snapshot, ct);
        }
        catch (Exception e) when (e is TableStoreException or IOException)
        {
            logger.LogWarning(e, "Snapshot {Version} is served here but could not be stored for other instances", snapshot.Version);
        }
    }

    private async Task<PublicSnapshot> BuildAsync(CancellationToken ct)
    {
        await building.WaitAsync(ct);
        try
        {
            var forCatalog = catalog.Current;
            var started = time.GetTimestamp();
            await rare.CatchUpAsync(ct); // incidents or reports another instance wrote: what is kept of them is read again
            // Incremental only where every change is this instance's own to know: its own store, the catalog it built for.
            var previous = served;
            var incremental = !StoreIsShared && ReferenceEquals(previous?.Catalog, forCatalog);
            var snapshot = await builder.BuildAsync(previous?.Snapshot, incremental, ct);
            if (ReferenceEquals(snapshot, previous?.Snapshot))
            {
                return snapshot;
            }
            if (previous is null && changed.Pending)
            {
                // The first snapshot, and probes were recorded while it was built: it is older than what a request reads
                // cold now. Requests stay on the cold path until a build that saw them (the cycle's own publish is next).
                logger.LogInformation("Snapshot {Version} not served: probes were recorded while it was built", snapshot.Version);
                return snapshot;
            }
            served = new Served(snapshot, forCatalog);
            logger.LogInformation("Snapshot {Version}: {Answers} answers built in {Ms:F0} ms", snapshot.Version, snapshot.Entries.Count,
                time.GetElapsedTime(started).TotalMilliseconds);
            return snapshot;
        }
        finally
        {
            building.Release();
        }
    }

    private bool CheckIsDue()
    {
        var now = time.GetUtcNow().UtcTicks;
        var due = Interlocked.Read(ref nextCheckTicks);
        return now >= due && Interlocked.CompareExchange(ref nextCheckTicks, now + web.Value.SnapshotRefresh.Ticks, due) == due;
    }

    private void StartRefresh()
    {
        if (Interlocked.Exchange(ref refreshing, 1) == 1)
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await RefreshAsync(lifetime.ApplicationStopping);
            }
            catch (Exception e) when (e is not OperationCanceledException || !lifetime.ApplicationStopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "Snapshot refresh failed; serving the previous snapshot");
            }
            finally
            {
                Volatile.Write(ref refreshing, 0);
            }
        });
    }

    /// <summary>Loads a newer stored version when there is one; builds locally when nothing usable is stored.</summary>
    private async Task RefreshAsync(CancellationToken ct)
    {
        var now = served;
        var stale = now is not null && !ReferenceEquals(now.Catalog, catalog.Current);
        if (!stale && await stored.ReadPointerAsync(ct) is { } pointer)
        {
            if (pointer.Version == now?.Snapshot.Version || pointer.BuiltAt < now?.Snapshot.BuiltAt)
            {
                return;
            }
            if (await stored.ReadAsync(pointer, ct) is { } answers)
            {
                await ServeLoadedAsync(Load(pointer, answers, now?.Snapshot), ct);
                return;
            }
        }
        if (now is null || stale)
        {
            await BuildAsync(ct);
        }
    }

    /// <summary>Under the build lock, so a slow load never replaces a snapshot built here meanwhile.</summary>
    private async Task ServeLoadedAsync(PublicSnapshot loaded, CancellationToken ct)
    {
        await building.WaitAsync(ct);
        try
        {
            if (served is not { } now || now.Snapshot.BuiltAt < loaded.BuiltAt)
            {
                served = new Served(loaded, catalog.Current);
            }
        }
        finally
        {
            building.Release();
        }
    }

    private static PublicSnapshot Load(StoredPointer pointer, IReadOnlyList<SnapshotCodec.Answer> answers, PublicSnapshot? previous) =>
        new(pointer.Version, pointer.BuiltAt, answers.ToDictionary(a => a.Key, a =>
            previous?.Entries.GetValueOrDefault(a.Key) is { } old && old.ETag == a.ETag && old.SameContentAs(a.Body, a.ContentType)
                ? old
                : SnapshotEntry.Create(a.ContentType, a.ETag, a.LastModified, a.Body), StringComparer.Ordinal));

    private sealed record Served(PublicSnapshot Snapshot, MonitorCatalog Catalog);
}
