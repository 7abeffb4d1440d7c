using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Subscriptions;

/// <summary>How far one event's fan-out got: deliveries still waiting for a retry, and when the next one is due.</summary>
public sealed record FanoutProgress(int Total, int Waiting, DateTimeOffset? NextAttempt);

/// <summary>
/// Delivers one subscriber message to every subscription of its service. First one delivery row per subscriber is
/// written (in batches of 100), then each pass sends the due ones in parallel and records the outcomes in batches as they come:
/// accepted ones are never sent again, gone ones remove their subscription, failed ones are retried with their own
/// backoff until <see cref="SubscriptionsOptions.MaxAttempts"/>. One subscriber's failure never re-sends to the others.
/// </summary>
public sealed class SubscriberFanout(ITableStore store, MonitorTables tables, SubscriptionStore subscriptions, IEnumerable<ISubscriberChannel> channels,
    IOptions<SubscriptionsOptions> options, TimeProvider time, ILogger<SubscriberFanout> logger, DeliveryPurge purge)
{
    private readonly Dictionary<string, ISubscriberChannel> _channels = channels.GroupBy(c => c.Kind, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public bool HasChannels => _channels.Count > 0;

    public async Task<FanoutProgress> DeliverAsync(SubscriberMessage message, CancellationToken ct)
    {
        var marker = await store.GetAsync(tables.SubscriberDeliveries, message.EventId, DeliveryRows.MarkerKey, ct);
        var total = (int)(marker?.GetInt64(DeliveryRows.TotalProperty) ?? 0);
        if (marker?.GetString(DeliveryRows.StateProperty) == DeliveryRows.Done)
        {
            return new FanoutProgress(total, 0, null);
        }
        var subscribers = await LoadAsync(message.Service, ct);
        if (marker is null)
        {
            total = await WriteDeliveriesAsync(message.EventId, subscribers.Values, ct);
            await store.ExecuteAsync(tables.SubscriberDeliveries,
                TableOperation.UpsertReplace(DeliveryRows.Marker(message.EventId, DeliveryRows.Sending, total)), ct);
        }
        var pending = new List<TableEntity>();
        await foreach (var row in store.QueryAllAsync(tables.SubscriberDeliveries, message.EventId, DeliveryRows.Deliveries, ct: ct))
        {
            if (row.GetString(DeliveryRows.OutcomeProperty) is null)
            {
                pending.Add(row);
            }
        }
        var now = time.GetUtcNow();
        var due = pending.Where(r => (r.GetDate(DeliveryRows.NextAttemptAtProperty) ?? now) <= now).ToList();
        var updates = await SendAllAsync(message, due, subscribers, ct);

        var dueKeys = due.Select(r => r.RowKey).ToHashSet(StringComparer.Ordinal);
        var waiting = pending.Where(r => !dueKeys.Contains(r.RowKey)).Select(r => r.GetDate(DeliveryRows.NextAttemptAtProperty))
            .Concat(updates.Where(u => !u.Properties.ContainsKey(DeliveryRows.OutcomeProperty)).Select(u => u.GetDate(DeliveryRows.NextAttemptAtProperty)))
            .ToList();
        if (waiting.Count == 0)
        {
            await FinishAsync(message.EventId, total, ct);
            return new FanoutProgress(total, 0, null);
        }
        return new FanoutProgress(total, waiting.Count, waiting.Min());
    }

    /// <summary>
    /// Sends the due deliveries, <see cref="SubscriptionsOptions.Parallelism"/> at a time, while a writer records their
    /// outcomes in batches as they come: a pass cut short (crash, claim lapsed) re-sends only what had no outcome yet.
    /// A failing writer stops the sending; the deliveries it did not record are sent again on the next pass.
    /// </summary>
    private async Task<IReadOnlyCollection<TableEntity>> SendAllAsync(SubscriberMessage message, List<TableEntity> due,
        IReadOnlyDictionary<string, Subscription> subscribers, CancellationToken ct)
    {
        var updates = new ConcurrentBag<TableEntity>();
        var outcomes = Channel.CreateUnbounded<TableEntity>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writer = WriteOutcomesAsync(outcomes.Reader, stop, ct);
        try
        {
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = stop.Token },
                async (row, token) =>
                {
                    var update = await SendOneAsync(message, row, subscribers, token);
                    updates.Add(update);
                    outcomes.Writer.TryWrite(update);
                });
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Only a failing writer cancels the sends: awaiting it below reports its exception.
        }
        finally
        {
            outcomes.Writer.TryComplete();
        }
        await writer;
        return updates;
    }

    private async Task WriteOutcomesAsync(ChannelReader<TableEntity> outcomes, CancellationTokenSource stop, CancellationToken ct)
    {
        var batch = new List<TableOperation>(TableStoreExtensions.MaxBatchOperations);
        try
        {
            while (await outcomes.WaitToReadAsync(ct))
            {
                while (batch.Count < TableStoreExtensions.MaxBatchOperations && outcomes.TryRead(out var row))
                {
                    batch.Add(TableOperation.UpsertMerge(row));
                }
                await store.SubmitBatchAsync(tables.SubscriberDeliveries, batch.ToArray(), ct);
                batch.Clear();
            }
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
    }

    /// <summary>The service's subscriptions (and those for every service) of a kind that has a channel, by id.</summary>
    private async Task<Dictionary<string, Subscription>> LoadAsync(string service, CancellationToken ct)
    {
        var byId = new Dictionary<string, Subscription>(StringComparer.Ordinal);
        await foreach (var s in subscriptions.ListAsync(service, ct))
        {
            if (_channels.ContainsKey(s.Kind))
            {
                byId[s.Id] = s;
            }
        }
        return byId;
    }

    private async Task<int> WriteDeliveriesAsync(string eventId, IEnumerable<Subscription> subscribers, CancellationToken ct)
    {
        var rows = subscribers.Where(s => !s.Disabled).Select(s => DeliveryRows.NewDelivery(eventId, s)).ToList();
        await WriteBatchesAsync(rows.Select(TableOperation.UpsertMerge), ct);
        return rows.Count;
    }

    /// <summary>The delivery row's new properties: an outcome, or the next attempt.</summary>
    private async Task<TableEntity> SendOneAsync(SubscriberMessage message, TableEntity row, IReadOnlyDictionary<string, Subscription> subscribers,
        CancellationToken ct)
    {
        var id = DeliveryRows.SubscriptionIdOf(row.RowKey);
        var attempts = (int)row.GetInt64(DeliveryRows.AttemptsProperty) + 1;
        if (!subscribers.TryGetValue(id, out var subscription) || subscription.Disabled)
        {
            // Unsubscribed or disabled since the fan-out began.
            return DeliveryRows.Outcome(message.EventId, id, DeliveryRows.Skipped, attempts - 1);
        }
        var result = await TrySendAsync(_channels[subscription.Kind], message, subscription, ct);
        switch (result)
        {
            case SubscriberSendResult.Accepted:
                await subscriptions.RecordSuccessAsync(subscription, ct);
                return DeliveryRows.Outcome(message.EventId, id, DeliveryRows.Accepted, attempts);
            case SubscriberSendResult.Gone:
                await subscriptions.RemoveAsync(id, ct);
                logger.LogInformation("A {Kind} subscription of {Service} is gone at its receiver and was removed", subscription.Kind, subscription.Service);
                return DeliveryRows.Outcome(message.EventId, id, DeliveryRows.Gone, attempts);
            default:
                var updated = await subscriptions.RecordFailureAsync(subscription, options.Value.MaxFailures, ct);
                if (updated?.Disabled != false)
                {
                    logger.LogWarning("A {Kind} subscription of {Service} was disabled after {Failures} failed deliveries", subscription.Kind,
                        subscription.Service, updated?.Failures);
                }
                return attempts >= options.Value.MaxAttempts || updated?.Disabled != false
                    ? DeliveryRows.Outcome(message.EventId, id, DeliveryRows.Failed, attempts)
                    : DeliveryRows.Retry(message.EventId, id, attempts, time.GetUtcNow() + options.Value.Backoff(attempts));
        }
    }

    private async Task<SubscriberSendResult> TrySendAsync(ISubscriberChannel channel, SubscriberMessage message, Subscription subscription,
        CancellationToken ct)
    {
        try
        {
            return await channel.SendAsync(message, subscription, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The type only: an exception's message may carry the subscriber's address.
            logger.LogWarning("A {Kind} delivery of {Type} for {Service} failed with {Error}; it is retried", channel.Kind, message.Type,
                message.Service, e.GetType().Name);
            return SubscriberSendResult.RetryLater;
        }
    }

    /// <summary>
    /// Lists the event under its day (for <see cref="DeliveryPurge"/>), marks it done, then deletes its delivery rows: a
    /// crash in between never sends again. Then old markers are purged, at most once a day.
    /// </summary>
    private async Task FinishAsync(string eventId, int total, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await store.ExecuteAsync(tables.SubscriberDeliveries, TableOperation.UpsertReplace(DeliveryRows.DoneEntry(eventId, now)), ct);
        await store.ExecuteAsync(tables.SubscriberDeliveries, TableOperation.UpsertReplace(DeliveryRows.DoneMarker(eventId, total, now)), ct);
        var keys = new List<string>();
        await foreach (var row in store.QueryAllAsync(tables.SubscriberDeliveries, eventId, DeliveryRows.Deliveries, [DeliveryRows.OutcomeProperty], ct))
        {
            keys.Add(row.RowKey);
        }
        await WriteBatchesAsync(keys.Select(k => TableOperation.Delete(eventId, k)), ct);
        await purge.RunIfDueAsync(ct);
    }

    private async Task WriteBatchesAsync(IEnumerable<TableOperation> operations, CancellationToken ct)
    {
        foreach (var chunk in operations.Chunk(TableStoreExtensions.MaxBatchOperations))
        {
            await store.SubmitBatchAsync(tables.SubscriberDeliveries, chunk, ct);
        }
    }
}
