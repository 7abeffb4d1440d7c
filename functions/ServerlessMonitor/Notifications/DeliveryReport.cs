using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Notifications;

/// <summary>
/// What the channels have still to deliver and what they gave up on, read from the outbox rows (every partition
/// the AlertsTimer sweeps), and the re-drive of a dead delivery. For the admin API: it scans, so it is not for a hot path.
/// </summary>
public sealed class DeliveryReport(ITableStore store, MonitorTables tables, CatalogProvider catalog, IEnumerable<IAlertSink> sinks, ChannelHealth health,
    OutboxDispatcher dispatcher, TimeProvider time)
{
    internal IReadOnlyList<ChannelSink> Channels { get; } = sinks.OfType<ChannelSink>().ToList();

    public async Task<NotificationsDto> ReadAsync(CancellationToken ct)
    {
        var pending = Channels.ToDictionary(c => c.Name, _ => 0);
        var dead = new List<DeadDeliveryDto>();
        foreach (var partition in Partitions())
        {
            await foreach (var row in store.QueryAllAsync(tables.Endpoints, partition, OutboxRows.Range, null, ct))
            {
                var entry = new OutboxEntry(row);
                if (entry.State == OutboxRows.Delivered || OutboxRows.TryDeserialize(entry.Json) is not { } alert)
                {
                    continue;
                }
                foreach (var channel in Channels.Where(c => !entry.DeliveredTo.Contains(c.Name) && c.Wants(alert)))
                {
                    if (entry.State == OutboxRows.Dead || entry.DeadTo.Contains(channel.Name))
                    {
                        dead.Add(new DeadDeliveryDto(channel.Channel, partition, alert.Id, alert.Type, alert.Subject,
                            entry.SinkFailures.GetValueOrDefault(channel.Name, entry.Attempts),
                            row.GetString(OutboxRows.LastErrorProperty) ?? row.GetString(OutboxRows.NoteProperty),
                            $"/api/admin/notifications/deliveries/{Uri.EscapeDataString(partition)}/{alert.Id}/redrive"));
                    }
                    else
                    {
                        pending[channel.Name]++;
                    }
                }
            }
        }
        var channels = Channels.Select(c =>
        {
            var h = health.Get(c.Channel);
            return new ChannelStatusDto(c.Channel, c.Kind.ToString().ToLowerInvariant(), c.Display, h.LastSuccess, h.LastFailure, h.LastError,
                pending[c.Name], dead.Count(d => d.Channel == c.Channel));
        }).ToList();
        return new NotificationsDto(channels, dead);
    }

    /// <summary>
    /// Makes a dead delivery pending again for the sinks that gave up on it (their counts and age from zero) and dispatches its partition;
    /// false when there is no such dead one. Sinks that accepted it are not sent it again.
    /// </summary>
    public async Task<bool> RedriveAsync(string partition, string eventId, CancellationToken ct)
    {
        var row = await store.GetAsync(tables.Endpoints, partition, MonitorTables.OutboxKey(eventId), ct);
        if (row is null || new OutboxEntry(row) is not { } entry || (entry.State != OutboxRows.Dead && entry.DeadTo.Count == 0))
        {
            return false;
        }
        var now = time.GetUtcNow();
        await store.ExecuteAsync(tables.Endpoints, entry.Update((OutboxRows.StateProperty, OutboxRows.Pending), (OutboxRows.AttemptsProperty, 0),
            (OutboxRows.DeadToProperty, ""), (OutboxRows.SinkFailuresProperty, ""), (OutboxRows.NextAttemptAtProperty, now),
            (OutboxRows.CreatedAtProperty, now)), ct);
        await dispatcher.DispatchAsync([partition], ct);
        return true;
    }

    private IEnumerable<string> Partitions() => catalog.Current.AllEndpoints().Select(p => MonitorTables.EndpointPartition(p.Service.Id, p.Endpoint.Id))
        .Concat(catalog.Current.Services.Select(s => s.Id)).Append(MonitorTables.MonitorPartition).Distinct(StringComparer.Ordinal);
}
