using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// The confirmed public subscriptions, on either backend. Writes go index first and subscription row last (the row a
/// fan-out reads), removals the other way round, so a crash in between leaves an index that the next add or remove
/// repairs, never a subscription that cannot be found by its id or address.
/// </summary>
public sealed class SubscriptionStore(ITableStore store, MonitorTables tables, TimeProvider time)
{
    private const int MaxRaces = 5;

    /// <summary>Stores a subscription, or returns the existing one for the same kind, service and address.</summary>
    public async Task<Subscription> AddAsync(string kind, string service, string address, CancellationToken ct)
    {
        if (!SubscriptionKinds.All.Contains(kind))
        {
            throw new ArgumentException($"Unknown subscription kind '{kind}' (push, email or webhook).", nameof(kind));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        for (var race = 0; ; race++)
        {
            var pointer = await store.GetAsync(tables.Subscriptions, SubscriptionRows.AddressPartition(kind, address), SubscriptionRows.ServiceKey(service), ct);
            var id = pointer?.GetString(SubscriptionRows.IdProperty);
            if (id is not null && await GetAsync(service, id, ct) is { } existing)
            {
                return existing;
            }
            try
            {
                if (id is null)
                {
                    id = SubscriptionRows.NewId();
                    // Insert, not upsert: two racing adds of one address must end with one id.
                    await store.ExecuteAsync(tables.Subscriptions, TableOperation.Insert(SubscriptionRows.AddressRow(kind, address, service, id)), ct);
                }
                var subscription = new Subscription(id, kind, service, address, time.GetUtcNow(), 0);
                await store.ExecuteAsync(tables.Subscriptions, TableOperation.UpsertReplace(SubscriptionRows.IdRow(id, service)), ct);
                await store.ExecuteAsync(tables.Subscriptions, TableOperation.Insert(SubscriptionRows.Row(subscription)), ct);
                return subscription;
            }
            catch (TableStoreException e) when (e.Kind == TableErrorKind.Conflict && race < MaxRaces)
            {
                // Another add of the same address won: read what it wrote.
            }
        }
    }

    public async Task<Subscription?> GetAsync(string service, string id, CancellationToken ct) =>
        await store.GetAsync(tables.Subscriptions, SubscriptionRows.ServicePartition(service), id, ct) is { } row ? SubscriptionRows.Read(row) : null;

    /// <summary>The subscription with this id, whatever its service; null when there is none (or the id is malformed).</summary>
    public async Task<Subscription?> FindAsync(string id, CancellationToken ct)
    {
        if (!SubscriptionRows.IsWellFormedId(id))
        {
            return null;
        }
        var pointer = await store.GetAsync(tables.Subscriptions, SubscriptionRows.IdPartition, id, ct);
        return pointer?.GetString(SubscriptionRows.ServiceProperty) is { } key ? await GetAsync(SubscriptionRows.ServiceOfKey(key), id, ct) : null;
    }

    /// <summary>Removes the subscription and its indexes; false when there was none with this id.</summary>
    public async Task<bool> RemoveAsync(string id, CancellationToken ct)
    {
        if (!SubscriptionRows.IsWellFormedId(id))
        {
            return false;
        }
        var pointer = await store.GetAsync(tables.Subscriptions, SubscriptionRows.IdPartition, id, ct);
        if (pointer?.GetString(SubscriptionRows.ServiceProperty) is not { } key)
        {
            return false;
        }
        var subscription = await GetAsync(SubscriptionRows.ServiceOfKey(key), id, ct);
        if (subscription is not null)
        {
            await DeleteAsync(SubscriptionRows.ServicePartition(subscription.Service), id, ct);
            await DeleteAsync(SubscriptionRows.AddressPartition(subscription.Kind, subscription.Address), key, ct);
        }
        await DeleteAsync(SubscriptionRows.IdPartition, id, ct);
        return subscription is not null;
    }

    /// <summary>Removes every subscription of this kind and address, for every service (an email address unsubscribing everything).</summary>
    public async Task RemoveByAddressAsync(string kind, string address, CancellationToken ct)
    {
        var partition = SubscriptionRows.AddressPartition(kind, address);
        var pointers = new List<TableEntity>();
        await foreach (var row in store.QueryAllAsync(tables.Subscriptions, partition, RowKeyRange.All, ct: ct))
        {
            pointers.Add(row);
        }
        foreach (var pointer in pointers)
        {
            if (pointer.GetString(SubscriptionRows.IdProperty) is { } id)
            {
                await DeleteAsync(SubscriptionRows.ServicePartition(SubscriptionRows.ServiceOfKey(pointer.RowKey)), id, ct);
                await DeleteAsync(SubscriptionRows.IdPartition, id, ct);
            }
            await DeleteAsync(partition, pointer.RowKey, ct);
        }
    }

    /// <summary>The subscriptions a message about <paramref name="service"/> goes to: the service's own and those for every service.</summary>
    public async IAsyncEnumerable<Subscription> ListAsync(string service, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var key in service == SubscriptionKinds.AllServices ? [service] : new[] { service, SubscriptionKinds.AllServices })
        {
            await foreach (var row in store.QueryAllAsync(tables.Subscriptions, SubscriptionRows.ServicePartition(key), RowKeyRange.All, ct: ct))
            {
                yield return SubscriptionRows.Read(row);
            }
        }
    }

    /// <summary>Counts a failed delivery; at <paramref name="maxFailures"/> the subscription is disabled (kept, never sent to). Returns it as now stored.</summary>
    public Task<Subscription?> RecordFailureAsync(Subscription s, int maxFailures, CancellationToken ct) =>
        MergeAsync(s, s.Failures + 1, s.Failures + 1 >= maxFailures, ct);

    /// <summary>A delivery went through: the failure count starts again.</summary>
    public Task<Subscription?> RecordSuccessAsync(Subscription s, CancellationToken ct) =>
        s.Failures == 0 ? Task.FromResult<Subscription?>(s) : MergeAsync(s, 0, s.Disabled, ct);

    private async Task<Subscription?> MergeAsync(Subscription s, int failures, bool disabled, CancellationToken ct)
    {
        var updated = s with { Failures = failures, Disabled = disabled };
        try
        {
            // Update, not upsert: a subscription removed meanwhile stays removed.
            await store.ExecuteAsync(tables.Subscriptions, TableOperation.Update(SubscriptionRows.Row(updated) with { ETag = "*" }), ct);
            return updated;
        }
        catch (TableStoreException e) when (e.Kind == TableErrorKind.NotFound)
        {
            return null;
        }
    }

    private async Task DeleteAsync(string partition, string rowKey, CancellationToken ct)
    {
        try
        {
            await store.ExecuteAsync(tables.Subscriptions, TableOperation.Delete(partition, rowKey), ct);
        }
        catch (TableStoreException e) when (e.Kind == TableErrorKind.NotFound)
        {
            // Already gone: removal is idempotent.
        }
    }
}
