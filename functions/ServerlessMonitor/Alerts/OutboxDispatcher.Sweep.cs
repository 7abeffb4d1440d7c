using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Alerts;

/// <summary>
/// Which partitions a dispatch looks at: those <see cref="OutboxIndex"/> marks, plus the whole catalog once a day as a
/// repair; and the index kept in step with what each scan found. The per-row delivery is in OutboxDispatcher.cs.
/// </summary>
public sealed partial class OutboxDispatcher
{
    /// <summary>How often the sweep also looks at every partition of the catalog, whatever the index says (and on its first run).</summary>
    public static readonly TimeSpan FullSweepInterval = TimeSpan.FromDays(1);

    private DateTimeOffset _nextFullSweep = DateTimeOffset.MinValue;

    /// <summary>
    /// What the AlertsTimer sweeps: the partitions <see cref="OutboxIndex"/> marks (one query when nothing is pending). On its
    /// first run and once a day it also sweeps every partition of the current catalog that can hold outbox rows — each
    /// endpoint's, each service's and the probing locations' — as a repair for a mark lost to a crash between an outbox
    /// write and its dispatch. A partition found empty loses its mark; one found pending keeps (or gets) it.
    /// </summary>
    public async Task<DispatchReport> DispatchPendingAsync(CancellationToken ct)
    {
        IReadOnlyDictionary<string, string> marks;
        try
        {
            marks = await index.ReadAsync(ct);
        }
        catch (TableStoreException e)
        {
            // Like a partition the store refuses: the rows wait, the next sweep reads the index again.
            logger.LogWarning("Outbox index not read: {Reason}; pending alerts wait for the next sweep", e.Message);
            var unread = new DispatchCounter();
            unread.Unreachable();
            return unread.ToReport();
        }
        var now = time.GetUtcNow();
        IEnumerable<string> partitions = marks.Keys;
        if (now >= _nextFullSweep)
        {
            _nextFullSweep = now + FullSweepInterval;
            partitions = partitions.Concat(catalog.Current.AllEndpoints().Select(p => MonitorTables.EndpointPartition(p.Service.Id, p.Endpoint.Id))
                .Concat(catalog.Current.Services.Select(s => s.Id)).Append(MonitorTables.MonitorPartition));
        }
        var (report, hadPending) = await DispatchAllAsync(partitions, ct);
        // Every partition with pending rows is marked (or swept in full): what this sweep left due is the backlog.
        Telemetry.PipelineMetrics.OutboxPending(report.Retrying + report.Held);
        foreach (var (partition, pending) in hadPending)
        {
            if (pending is false && marks.TryGetValue(partition, out var etag))
            {
                await TryIndexAsync(() => index.ClearAsync(partition, etag, ct));
            }
            else if (pending is true && !marks.ContainsKey(partition))
            {
                await TryIndexAsync(() => index.MarkAsync(partition, ct));
            }
        }
        return report;
    }

    /// <summary>Dispatches these partitions now (after a write); those that held pending rows are marked for the sweep.</summary>
    public async Task<DispatchReport> DispatchAsync(IEnumerable<string> partitions, CancellationToken ct)
    {
        var (report, hadPending) = await DispatchAllAsync(partitions, ct);
        foreach (var (partition, pending) in hadPending)
        {
            if (pending is not false)
            {
                await TryIndexAsync(() => index.MarkAsync(partition, ct));
            }
        }
        return report;
    }

    /// <summary>The report, and per partition whether its scan found pending rows (null: the store failed).</summary>
    private async Task<(DispatchReport Report, IReadOnlyDictionary<string, bool?> HadPending)> DispatchAllAsync(IEnumerable<string> partitions,
        CancellationToken ct)
    {
        var report = new DispatchCounter();
        var hadPending = new System.Collections.Concurrent.ConcurrentDictionary<string, bool?>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(partitions.Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = MaxParallelPartitions, CancellationToken = ct },
            async (partition, token) => hadPending[partition] = await TryDispatchPartitionAsync(partition, report, token));
        return (report.ToReport(), hadPending);
    }

    /// <summary>An index write that fails only costs a look later (a mark left) or a wait for the full sweep (a mark missing).</summary>
    private async Task TryIndexAsync(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (TableStoreException e)
        {
            logger.LogWarning("Outbox index not updated: {Reason}; the next sweep repairs it", e.Message);
        }
    }
}
