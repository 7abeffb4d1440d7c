using Microsoft.Extensions.Options;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Reports;

public enum ReportOutcome
{
    Counted,
    /// <summary>The client already has a counted report for this service in this 15-minute window.</summary>
    Duplicate,
    /// <summary>Too many concurrent writers on the bucket row; the client should retry shortly.</summary>
    Busy,
}

/// <summary>
/// Counts a report: at most one per client and 15 minutes. Markers live in aligned 15-minute windows; a
/// marker of the previous window younger than 15 minutes also makes a duplicate, so reporting at 12:14 and
/// again at 12:16 counts once. One atomic batch in the service's partition inserts the client's window marker and
/// updates the bucket row guarded by its ETag. A marker that already exists makes the report a duplicate;
/// a bucket changed by a concurrent report is re-read and the batch retried, so no report is lost or
/// counted twice.
/// </summary>
internal sealed class ReportRecorder(ITableStore store, MonitorTables tables, IOptions<ReportsOptions> options, ILogger<ReportRecorder> logger)
{
    private const int MaxAttempts = 10;
    private const string AtProperty = "At";

    public async Task<ReportOutcome> RecordAsync(string service, ReportInput report, ClientFingerprints client, DateTimeOffset now, CancellationToken ct)
    {
        var bucketStart = ReportRows.Floor(now, ReportRows.Bucket);
        var windowStart = ReportRows.Floor(now, ReportRows.Window);
        var marker = new TableEntity(service, ReportRows.ClientKey(windowStart, client.Current),
            new Dictionary<string, object?> { [AtProperty] = now });

        // Cheap pre-checks: a repeat reporter costs point reads and no write.
        if (await store.GetAsync(tables.Reports, service, marker.RowKey, ct) is not null
            || (await store.GetAsync(tables.Reports, service, ReportRows.ClientKey(windowStart - ReportRows.Window, client.Previous), ct))
                ?.GetDate(AtProperty) > now - ReportRows.Window)
        {
            return ReportOutcome.Duplicate;
        }
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var row = await store.GetAsync(tables.Reports, service, ReportRows.Key(bucketStart), ct);
            var updated = ReportRows.Add(row, service, bucketStart, report.Kind, report.Message, now, options.Value.MessagesPerBucket, client.Network);
            try
            {
                await store.SubmitBatchAsync(tables.Reports,
                    [TableOperation.Insert(marker), row is null ? TableOperation.Insert(updated) : TableOperation.Update(updated)], ct);
                if (row is null)
                {
                    // First report of a bucket: at most once per 5 minutes, a good moment to sweep expired markers.
                    await SweepAsync(service, windowStart, ct);
                }
                return ReportOutcome.Counted;
            }
            catch (TableStoreException e) when (e.Kind is TableErrorKind.Conflict or TableErrorKind.PreconditionFailed or TableErrorKind.NotFound)
            {
                if (e.Kind == TableErrorKind.Conflict && await IsMarkerConflictAsync(e, service, marker.RowKey, ct))
                {
                    return ReportOutcome.Duplicate;
                }
                // The bucket moved under us: back off a little (with jitter, so racers spread out) and re-read.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), ct);
            }
        }
        logger.LogWarning("Report for {Service} not counted: bucket {Bucket} stayed contended for {Attempts} attempts", service,
            ReportRows.Key(bucketStart), MaxAttempts);
        return ReportOutcome.Busy;
    }

    private async Task<bool> IsMarkerConflictAsync(TableStoreException e, string service, string markerKey, CancellationToken ct) =>
        e.FailedOperationIndex switch
        {
            0 => true,
            1 => false,
            // Not every backend says which operation failed: then the marker's existence decides.
            _ => await store.GetAsync(tables.Reports, service, markerKey, ct) is not null,
        };

    /// <summary>Deletes client markers older than the previous window and surge markers older than an hour. Best effort: leftovers are harmless.</summary>
    private async Task SweepAsync(string service, DateTimeOffset windowStart, CancellationToken ct)
    {
        try
        {
            foreach (var range in new[] { ReportRows.ClientsBefore(windowStart - ReportRows.Window), ReportRows.SurgesBefore(windowStart.AddHours(-1)) })
            {
                var expired = new List<TableOperation>();
                await foreach (var row in store.QueryAllAsync(tables.Reports, service, range, [AtProperty], ct))
                {
                    expired.Add(TableOperation.Delete(service, row.RowKey, row.ETag ?? "*"));
                }
                foreach (var chunk in expired.Chunk(TableStoreExtensions.MaxBatchOperations))
                {
                    await store.SubmitBatchAsync(tables.Reports, chunk, ct);
                }
            }
        }
        catch (TableStoreException e)
        {
            logger.LogDebug(e, "Sweeping expired report markers of {Service} failed; the next bucket tries again", service);
        }
    }
}
