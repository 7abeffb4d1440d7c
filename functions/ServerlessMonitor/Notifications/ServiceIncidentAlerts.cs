using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Notifications;

/// <summary>
/// Turns a cycle's endpoint incidents into service incidents: Service.Down / .Degraded / .Recovered events
/// (one per service incident, however many endpoints fail) written to the service's outbox partition in the
/// same batch as the service incident row. Event Grid and webhooks get these besides the per-endpoint
/// events; the notification channels get only these.
/// </summary>
public sealed class ServiceIncidentAlerts(ITableStore store, MonitorTables tables, IOptions<MonitorOptions> monitor, IOptions<AlertsOptions> alerts,
    IOptions<NotificationsOptions> options, ILogger<ServiceIncidentAlerts> logger)
{
    private const int MaxRaces = 5;

    /// <summary>Writes the events; returns the service partitions that got outbox rows.</summary>
    public async Task<IReadOnlyList<string>> RaiseAsync(IReadOnlyList<RecordedProbe> recorded, DateTimeOffset now, CancellationToken ct)
    {
        var partitions = new List<string>();
        foreach (var group in recorded.Where(r => r.Global?.Alerts.Count > 0).GroupBy(r => r.Service.Id))
        {
            var changes = group.SelectMany(r => r.Global!.Alerts)
                .Where(a => a.Type is AlertTypes.EndpointDown or AlertTypes.EndpointDegraded or AlertTypes.EndpointRecovered).ToList();
            try
            {
                if (changes.Count > 0 && await ApplyAsync(group.First().Service, changes, now, ct))
                {
                    partitions.Add(group.Key);
                }
            }
            catch (TableStoreException e)
            {
                // One service's failure must not hold back the others; its endpoint events are in the outbox already.
                logger.LogError(e, "Service incident of {Service} not updated", group.Key);
            }
        }
        return partitions;
    }

    /// <summary>True when events were written. Retries when another shard updated the same service first.</summary>
    private async Task<bool> ApplyAsync(ServiceDefinition service, IReadOnlyList<AlertEvent> changes, DateTimeOffset now, CancellationToken ct)
    {
        for (var race = 0; ; race++)
        {
            var row = await store.GetAsync(tables.Endpoints, service.Id, ServiceIncidentRows.Key, ct);
            var before = ServiceIncidentRows.Read(row);
            var step = ServiceIncidentRule.Apply(service.Id, before, changes, now);
            var ops = new List<TableOperation>();
            var state = step.State;
            foreach (var type in step.Emit)
            {
                var e = Event(service, type, type == AlertTypes.ServiceRecovered ? before : state, now, escalation: before.IsOpen && type == AlertTypes.ServiceDown);
                var outbox = OutboxRows.Create(service.Id, e, now);
                if (type != AlertTypes.ServiceRecovered && before.IncidentId is null)
                {
                    // The opening message waits out the group window, so endpoints failing soon after join it.
                    outbox = Delay(outbox, now + (options.Value.GroupWindow ?? TimeSpan.Zero));
                    state = state with { OpeningEvent = outbox.RowKey };
                }
                ops.Add(TableOperation.Insert(outbox));
            }
            if (step.Emit.Count == 0 && step.MembersAdded && await FoldAsync(service, state, now, ct) is { } fold)
            {
                ops.Add(fold);
            }
            ops.Insert(0, ServiceIncidentRows.Write(service.Id, state, row?.ETag));
            try
            {
                await store.SubmitBatchAsync(tables.Endpoints, ops, ct);
                return step.Emit.Count > 0;
            }
            catch (TableStoreException e) when (race < MaxRaces && e.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.Conflict)
            {
                logger.LogDebug("Service incident of {Service} changed under us; reading it again", service.Id);
            }
        }
    }

    /// <summary>The opening message with the endpoints that joined it, while it still waits out the group window.</summary>
    private async Task<TableOperation?> FoldAsync(ServiceDefinition service, ServiceIncident state, DateTimeOffset now, CancellationToken ct)
    {
        if (state.OpeningEvent is null || await store.GetAsync(tables.Endpoints, service.Id, state.OpeningEvent, ct) is not { } row)
        {
            return null;
        }
        var entry = new OutboxEntry(row);
        if (entry.State != OutboxRows.Pending || entry.Attempts > 0 || entry.NextAttemptAt <= now ||
            OutboxRows.TryDeserialize(entry.Json) is not { } opening)
        {
            return null;
        }
        var e = Event(service, opening.Type, state, opening.Time, escalation: false) with { Id = opening.Id };
        return entry.Update((OutboxRows.EventProperty, OutboxRows.Serialize(e)));
    }

    private AlertEvent Event(ServiceDefinition service, string type, ServiceIncident incident, DateTimeOffset now, bool escalation)
    {
        var recovered = type == AlertTypes.ServiceRecovered;
        var members = incident.Members;
        var data = new AlertData
        {
            Service = service.Id,
            ServiceName = service.Name,
            Status = recovered ? "up" : type == AlertTypes.ServiceDown ? "down" : "degraded",
            PreviousStatus = recovered ? (incident.Kind == "outage" ? "down" : "degraded") : "up",
            IncidentId = incident.IncidentId,
            LikelyCause = members.Select(m => m.Cause).OfType<string>().GroupBy(c => c).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key,
            Start = incident.Start,
            End = recovered ? now : null,
            DurationSeconds = recovered ? (now - incident.Start!.Value).TotalSeconds : null,
            Regions = members.SelectMany(m => m.Regions).Distinct().Order(StringComparer.Ordinal).ToList(),
            LastError = members.Select(m => m.Error).OfType<string>().FirstOrDefault(),
            Endpoints = members.Select(m => m.Endpoint).ToList(),
            EndpointCount = service.Endpoints.Count,
            StatusPageUrl = alerts.Value.StatusLink(service.Id),
        };
        // An escalation (degraded, then down) can repeat within one incident: its time keeps each one's id apart.
        var seed = escalation ? $"|{now.UtcTicks}" : "";
        return AlertEvents.Create(type, monitor.Value.Instance, service.Id, null, now, data, $"{service.Id}|{incident.IncidentId}|{type}{seed}");
    }

    private static TableEntity Delay(TableEntity row, DateTimeOffset at) =>
        row with { Properties = new Dictionary<string, object?>(row.Properties, StringComparer.Ordinal) { [OutboxRows.NextAttemptAtProperty] = at } };
}
