using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Alerts;

/// <summary>
/// Delivers outbox rows to every sink. Each row is first claimed (an ETag-guarded write that pushes its
/// NextAttemptAt past <see cref="ClaimDuration"/>), so two dispatchers racing never both send it; a
/// crash after the claim only delays the row until the claim lapses. A row is delivered once every
/// sink accepted it; sinks that accepted are recorded and never sent the event again. Per partition and per sink
/// nothing overtakes (<see cref="SinkHolds"/>): an event waits while an earlier one has not reached that sink.
/// </summary>
public sealed partial class OutboxDispatcher(ITableStore store, MonitorTables tables, IEnumerable<IAlertSink> sinks, CatalogProvider catalog,
    OutboxIndex index, IOptions<AlertsOptions> options, TimeProvider time, ILogger<OutboxDispatcher> logger)
{
    /// <summary>Longer than any delivery can take (each sink times out after 10 s).</summary>
    public static readonly TimeSpan ClaimDuration = TimeSpan.FromMinutes(5);

    private const int MaxParallelPartitions = 8;
    private static readonly string[] ScanColumns =
        [OutboxRows.StateProperty, OutboxRows.NextAttemptAtProperty, OutboxRows.CreatedAtProperty, OutboxRows.DeliveredAtProperty,
            OutboxRows.DeliveredToProperty, OutboxRows.DeadToProperty, OutboxRows.IncidentProperty];

    private readonly IReadOnlyList<IAlertSink> _sinks = sinks.ToList();
    // Read on use, not at construction: resolving the dispatcher must not pre-empt start-up validation.
    private AlertsOptions Options => options.Value;

    /// <summary>
    /// A store error is one partition's problem, never the caller's: the cycle that wrote the alert has committed its
    /// state already, and the rows wait in the outbox for the next dispatch (the AlertsTimer sweeps every minute).
    /// </summary>
    private async Task<bool?> TryDispatchPartitionAsync(string partition, DispatchCounter report, CancellationToken ct)
    {
        try
        {
            return await DispatchPartitionAsync(partition, report, ct);
        }
        catch (TableStoreException e)
        {
            logger.LogWarning("Outbox of {Partition} not dispatched: {Reason}; its alerts wait for the next dispatch", partition, e.Message);
            report.Unreachable();
            return null;
        }
    }

    /// <summary>Returns whether the partition held pending rows when it was scanned.</summary>
    private async Task<bool> DispatchPartitionAsync(string partition, DispatchCounter report, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var pending = new List<TableEntity>();
        // A narrow scan first: most rows are long delivered and only their state is needed.
        await foreach (var row in store.QueryAllAsync(tables.Endpoints, partition, OutboxRows.Range, ScanColumns, ct))
        {
            var entry = new OutboxEntry(row);
            if (entry.State == OutboxRows.Pending)
            {
                pending.Add(row);
            }
            else if (entry.State == OutboxRows.Delivered && row.GetDate(OutboxRows.DeliveredAtProperty) is { } at && now - at > Options.KeepDelivered)
            {
                await TryWriteAsync(TableOperation.Delete(partition, row.RowKey, row.ETag ?? "*"), ct);
            }
        }
        var holds = new SinkHolds(_sinks);
        foreach (var row in pending.OrderBy(r => new OutboxEntry(r).CreatedAt).ThenBy(r => r.RowKey, StringComparer.Ordinal))
        {
            var entry = new OutboxEntry(row);
            if (entry.IsDue(now))
            {
                holds.Hold(entry.Incident, await DispatchRowAsync(partition, row.RowKey, report, holds, ct));
            }
            else
            {
                holds.HoldAllBut(entry.Incident, entry.Finished);
            }
        }
        return pending.Count > 0;
    }

    /// <summary>Delivers one row to the sinks that want it and are not held; returns the sinks that still lack it.</summary>
    private async Task<IReadOnlyCollection<string>> DispatchRowAsync(string partition, string rowKey, DispatchCounter report, SinkHolds holds,
        CancellationToken ct)
    {
        var row = await store.GetAsync(tables.Endpoints, partition, rowKey, ct);
        var now = time.GetUtcNow();
        if (row is null || new OutboxEntry(row).State != OutboxRows.Pending)
        {
            return [];
        }
        if (!new OutboxEntry(row).IsDue(now))
        {
            return _sinks.Select(s => s.Name).Where(n => !new OutboxEntry(row).Finished.Contains(n)).ToList();
        }
        var entry = new OutboxEntry(row);
        var alert = OutboxRows.TryDeserialize(entry.Json);
        if (alert is null || now - entry.CreatedAt > Options.MaxAge)
        {
            var reason = alert is null ? "the stored event is not a readable CloudEvent" : $"not delivered within {Options.MaxAge}";
            if (await TryWriteAsync(entry.Update((OutboxRows.StateProperty, OutboxRows.Dead), (OutboxRows.NoteProperty, reason)), ct) is not null)
            {
                logger.LogError("Alert {RowKey} in {Partition} dead-lettered: {Reason}; last error: {LastError}", rowKey, partition, reason,
                    row.GetString(OutboxRows.LastErrorProperty) ?? "none");
                report.Dead();
            }
            return [];
        }
        var deliveredTo = new HashSet<string>(entry.DeliveredTo, StringComparer.Ordinal);
        var giveUps = new SinkGiveUps(entry, now);
        var wanted = _sinks.Where(s => !deliveredTo.Contains(s.Name) && !giveUps.IsDead(s.Name) && s.Wants(alert)).ToList();
        var held = wanted.Where(s => holds.IsHeld(entry.Incident, s.Name)).Select(s => s.Name).ToList();
        if (held.Count > 0 && held.Count == wanted.Count)
        {
            // Every sink it still needs waits for an earlier event: nothing to claim, it stays due for the next pass.
            report.Held();
            return held;
        }

        var claimEtag = await TryWriteAsync(entry.Update((OutboxRows.NextAttemptAtProperty, now + ClaimDuration)), ct);
        if (claimEtag is null)
        {
            // Another dispatcher has it: later events wait for it like for any earlier one in flight.
            return wanted.Select(s => s.Name).ToList();
        }
        var claimed = new OutboxEntry(row with { ETag = claimEtag });
        var errors = new List<string>();
        var retryAfter = TimeSpan.Zero;
        foreach (var sink in wanted.Where(s => !held.Contains(s.Name) && !giveUps.TooOld(s)))
        {
            try
            {
                await sink.DeliverAsync(alert, entry.Json!, ct);
                deliveredTo.Add(sink.Name);
                Telemetry.PipelineMetrics.Delivery(sink.Name, delivered: true);
            }
            catch (AlertDeliveryException e)
            {
                Telemetry.PipelineMetrics.Delivery(sink.Name, delivered: false);
                errors.Add(e.Message);
                retryAfter = e.RetryAfter > retryAfter ? e.RetryAfter.Value : retryAfter;
                if (!e.Deferred)
                {
                    giveUps.Failed(sink);
                }
            }
        }
        var lastError = errors.Count > 0 ? string.Join("; ", errors) : row.GetString(OutboxRows.LastErrorProperty);
        LogGivenUp(alert, giveUps, lastError);

        now = time.GetUtcNow();
        var delivered = string.Join(',', deliveredTo.Order(StringComparer.Ordinal));
        var missing = wanted.Select(s => s.Name).Where(n => !deliveredTo.Contains(n) && !giveUps.IsDead(n)).ToList();
        var failing = missing.Except(held).ToList();
        if (failing.Count == 0 && held.Count > 0)
        {
            // Delivered where it could go; the held sinks get it right after the earlier event, so it stays due.
            await TryWriteAsync(claimed.Update([(OutboxRows.NextAttemptAtProperty, now), (OutboxRows.DeliveredToProperty, delivered), .. giveUps.Changes]), ct);
            report.Held();
            return missing;
        }
        if (failing.Count == 0 && giveUps.AnyDead)
        {
            // Every sink is done with it, and some gave up: the row is dead (listed, re-drivable for those), not delivered.
            if (await TryWriteAsync(claimed.Update([(OutboxRows.StateProperty, OutboxRows.Dead), (OutboxRows.DeliveredToProperty, delivered),
                    (OutboxRows.LastErrorProperty, lastError), (OutboxRows.NoteProperty, "given up by " + giveUps.DeadList), .. giveUps.Changes]), ct) is not null)
            {
                report.Dead();
            }
            return [];
        }
        if (failing.Count == 0)
        {
            var note = _sinks.Count == 0 ? "no sink configured" : null;
            if (note is not null)
            {
                logger.LogInformation("Alert {Type} {Subject} ({Id}) not sent: no sink configured (set EventGrid:TopicEndpoint or Alerts:Webhooks)",
                    alert.Type, alert.Subject, alert.Id);
            }
            if (await TryWriteAsync(claimed.Update((OutboxRows.StateProperty, OutboxRows.Delivered), (OutboxRows.DeliveredToProperty, delivered),
                    (OutboxRows.DeliveredAtProperty, now), (OutboxRows.NoteProperty, note)), ct) is not null)
            {
                report.Delivered();
            }
            return [];
        }

        var attempts = entry.Attempts + 1;
        var next = now + (retryAfter > Backoff(attempts) ? retryAfter : Backoff(attempts));
        logger.LogWarning("Alert {Type} {Subject} ({Id}) attempt {Attempts} failed, next try at {Next:O}: {Error}",
            alert.Type, alert.Subject, alert.Id, attempts, next, lastError);
        if (await TryWriteAsync(claimed.Update([(OutboxRows.AttemptsProperty, attempts), (OutboxRows.NextAttemptAtProperty, next),
                (OutboxRows.LastErrorProperty, lastError), (OutboxRows.DeliveredToProperty, delivered), .. giveUps.Changes]), ct) is not null)
        {
            report.Retrying();
        }
        return missing;
    }

    private void LogGivenUp(AlertEvent alert, SinkGiveUps giveUps, string? lastError)
    {
        foreach (var (sink, reason) in giveUps.GivenUp)
        {
            logger.LogError("Alert {Type} {Subject} ({Id}) dead-lettered for {Sink}: {Reason}; last error: {LastError}", alert.Type, alert.Subject, alert.Id,
                sink, reason, lastError ?? "none");
        }
    }

    /// <summary>base · 2^(attempts−1), capped at the maximum.</summary>
    public TimeSpan Backoff(int attempts)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        var ticks = Math.Min(Options.BackoffMax.Ticks, Options.BackoffBase.Ticks * factor);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The new ETag, or null when another dispatcher changed or removed the row first (it handles it).</summary>
    private async Task<string?> TryWriteAsync(TableOperation operation, CancellationToken ct)
    {
        try
        {
            return await store.ExecuteAsync(tables.Endpoints, operation, ct) ?? "";
        }
        catch (TableStoreException e) when (e.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.NotFound)
        {
            logger.LogDebug("Outbox row {RowKey} changed under us ({Kind}); leaving it to the other dispatcher", operation.Entity.RowKey, e.Kind);
            return null;
        }
    }
}
