using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Notifications;

/// <summary>
/// Turns a cycle's endpoint incidents into service incidents: Service.Down / .Degraded / .Recovered events
/// (one per service incident, however many endpoints fail) written to the service's outbox partition in the
/// same batch as the service incident row. Event Grid and webhooks get these besides the per-endpoint
/// events; the notification channels get only these.
/// </summary>
public sealed class ServiceIncidentAlerts(ITableStore store, MonitorTables tables, OutboxWriter outbox, IOptions<MonitorOptions> monitor, IOptions<AlertsOptions> alerts,
    IOptions<NotificationsOptions> options, StatusBoard board, CatalogProvider catalog, ILogger<ServiceIncidentAlerts> logger)
{
    private const int MaxRaces = 5;

    // Services whose incident write failed: the next publish re-derives their incident from the endpoints' states.
    private readonly ConcurrentDictionary<string, byte> _unsettled = new(StringComparer.Ordinal);
    private readonly DependantsNote _dependants = new(store, tables, logger);

    /// <summary>Writes the events; returns the service partitions that got outbox rows.</summary>
    public async Task<IReadOnlyList<string>> RaiseAsync(IReadOnlyList<RecordedProbe> recorded, DateTimeOffset now, CancellationToken ct)
    {
        var partitions = new List<string>();
        var intervals = options.Value.Channels.Values.Select(c => c.RemindEvery).OfType<TimeSpan>().Distinct().ToList();
        IReadOnlyDictionary<string, StatusRow>? rows = null;
        var repaired = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in _unsettled.Keys.ToList())
        {
            repaired.Add(id);
            try
            {
                rows ??= await board.ReadAsync(ct);
                if (await RepairAsync(id, rows, now, ct))
                {
                    partitions.Add(id);
                }
            }
            catch (TableStoreException e)
            {
                logger.LogError(e, "Service incident of {Service} still not updated; the next cycle tries again", id);
            }
        }
        foreach (var group in recorded.GroupBy(r => r.Service.Id).Where(g => !repaired.Contains(g.Key)))
        {
            var changes = group.Where(r => r.Global is not null).SelectMany(r => r.Global!.Alerts)
                .Where(a => a.Type is AlertTypes.EndpointDown or AlertTypes.EndpointDegraded or AlertTypes.EndpointRecovered).ToList();
            // Reminders are looked at only while one of the service's endpoints is down, so a healthy cycle reads nothing.
            var remind = intervals.Count > 0 && group.Any(r => r.Current.Status == HealthStatus.Down);
            if (changes.Count == 0 && !remind)
            {
                // A steady probe that touched the global state rewrote the board's cause: name the dependency again.
                if (DependencyCheck.HasAny(group.First().Service) && group.Any(r => r.Global?.State.Incident is not null))
                {
                    try
                    {
                        var open = ServiceIncidentRows.Read(await store.GetAsync(tables.Endpoints, group.Key, ServiceIncidentRows.Key, ct));
                        await MarkCauseAsync(group, open, null, ct);
                    }
                    catch (TableStoreException e)
                    {
                        logger.LogError(e, "Dependency cause of {Service} not shown", group.Key);
                    }
                }
                continue;
            }
            try
            {
                var service = group.First().Service;
                string? dependency = null;
                var failing = changes.Where(a => a.Type != AlertTypes.EndpointRecovered).Select(a => a.Data.Endpoint).OfType<string>().ToList();
                if (failing.Count > 0 && DependencyCheck.HasAny(service))
                {
                    rows ??= await board.ReadAsync(ct);
                    dependency = DependencyCheck.DownDependency(catalog.Current, service, failing, rows);
                }
                var (wrote, state, closedDependency) = await ApplyAsync(service, changes, remind ? intervals : [], now, dependency, ct);
                if (wrote)
                {
                    partitions.Add(group.Key);
                }
                await MarkCauseAsync(group, state, closedDependency, ct);
            }
            catch (TableStoreException e)
            {
                // One service's failure must not hold back the others; its endpoint events are in the outbox already, and
                // the next cycle re-derives its incident from the endpoints' states.
                _unsettled[group.Key] = 0;
                logger.LogError(e, "Service incident of {Service} not updated; the next cycle re-derives it", group.Key);
            }
        }
        return partitions;
    }

    /// <summary>Applies what the endpoints' states say changed since the service incident was last written; true when events were written.</summary>
    private async Task<bool> RepairAsync(string id, IReadOnlyDictionary<string, StatusRow> rows, DateTimeOffset now, CancellationToken ct)
    {
        if (catalog.Current.FindService(id) is not { } service)
        {
            _unsettled.TryRemove(id, out _);
            return false;
        }
        var before = ServiceIncidentRows.Read(await store.GetAsync(tables.Endpoints, id, ServiceIncidentRows.Key, ct));
        var changes = ServiceIncidentRepair.Changes(service, before, rows, monitor.Value.Instance, now);
        var failing = changes.Where(a => a.Type != AlertTypes.EndpointRecovered).Select(a => a.Data.Endpoint).OfType<string>().ToList();
        var dependency = failing.Count > 0 && DependencyCheck.HasAny(service) ? DependencyCheck.DownDependency(catalog.Current, service, failing, rows) : null;
        var (wrote, _, _) = await ApplyAsync(service, changes, [], now, dependency, ct);
        _unsettled.TryRemove(id, out _);
        logger.LogInformation("Service incident of {Service} re-derived from its endpoints' states: {Changes} change(s)", id, changes.Count);
        return wrote;
    }

    /// <summary>
    /// The status page, /api/status and the endpoints' incident rows show the dependency as the cause of the dependant's
    /// failing endpoints; <paramref name="closedDependency"/> (the incident closed this cycle) keeps it on the rows that just ended.
    /// </summary>
    private async Task MarkCauseAsync(IEnumerable<RecordedProbe> group, ServiceIncident state, string? closedDependency, CancellationToken ct)
    {
        if (state.IsOpen && state.Dependency is { } down)
        {
            var open = group.Where(r => r.Global?.State.Incident is not null).ToList();
            var cause = DependencyCheck.Cause(down);
            await board.MarkCauseAsync(open.Select(r => (r.Service.Id, r.Endpoint.Id)), cause.Cause, cause.Label, cause.Evidence, ct);
            await DependencyCheck.MarkIncidentRowsAsync(store, tables, open.Select(r => (r, r.Global!.State.Incident!.Key)), down, ct);
        }
        if (closedDependency is not null)
        {
            var ended = group.Where(r => r.Global is { } g && g.Previous.Incident is { } p && g.State.Incident?.Key != p.Key)
                .Select(r => (r, r.Global!.Previous.Incident!.Key));
            await DependencyCheck.MarkIncidentRowsAsync(store, tables, ended, closedDependency, ct);
        }
    }

    /// <summary>Whether events were written, and the incident now. Retries when another shard updated the same service first.</summary>
    private async Task<(bool Wrote, ServiceIncident State, string? ClosedDependency)> ApplyAsync(ServiceDefinition service, IReadOnlyList<AlertEvent> changes,
        IReadOnlyList<TimeSpan> intervals, DateTimeOffset now, string? dependency, CancellationToken ct)
    {
        for (var race = 0; ; race++)
        {
            var row = await store.GetAsync(tables.Endpoints, service.Id, ServiceIncidentRows.Key, ct);
            var before = ServiceIncidentRows.Read(row);
            var step = changes.Count > 0 ? ServiceIncidentRule.Apply(service.Id, before, changes, now) : new ServiceIncidentStep(before, [], false);
            var (state, reminders) = before.IsOpen ? ServiceReminderRule.Apply(step.State, intervals, now) : (step.State, []);
            if (changes.Count == 0 && reminders.Count == 0)
            {
                return (false, state, null);
            }
            if (!before.IsOpen && state.IsOpen && dependency is not null)
            {
                state = state with { Dependency = dependency };
            }
            var ops = new List<TableOperation>();
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
            foreach (var (seconds, number) in reminders)
            {
                ops.Add(TableOperation.Insert(OutboxRows.Create(service.Id, Reminder(service, state, seconds, number, now), now)));
            }
            if (step.Emit.Count == 0 && step.MembersAdded && await FoldAsync(service, state, now, ct) is { } fold)
            {
                ops.Add(fold);
            }
            ops.Insert(0, ServiceIncidentRows.Write(service.Id, state, row?.ETag));
            try
            {
                await outbox.SubmitAsync(ops, ct);
                if (!before.IsOpen && state.IsOpen && state.Dependency is { } down)
                {
                    await NoteDependantAsync(down, service.Id, ct);
                }
                return (ops.Count > 1, state, before.IsOpen && !state.IsOpen ? before.Dependency : null);
            }
            catch (TableStoreException e) when (race < MaxRaces && e.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.Conflict)
            {
                logger.LogDebug("Service incident of {Service} changed under us; reading it again", service.Id);
            }
        }
    }

    private async Task NoteDependantAsync(string dependency, string dependant, CancellationToken ct)
    {
        try
        {
            await _dependants.AddAsync(dependency, dependant, ct);
        }
        catch (TableStoreException e)
        {
            // The dependant's own incident is written; only the dependency's "also affected" misses it.
            logger.LogError(e, "{Service} not listed as affected on the incident of {Dependency}", dependant, dependency);
        }
    }

    private AlertEvent Reminder(ServiceDefinition service, ServiceIncident incident, long seconds, int number, DateTimeOffset now)
    {
        var e = Event(service, AlertTypes.ServiceStillDown, incident, now, escalation: false);
        var data = e.Data with { Reminder = number, ReminderIntervalSeconds = seconds, DurationSeconds = (now - incident.Start!.Value).TotalSeconds };
        return AlertEvents.Create(e.Type, monitor.Value.Instance, service.Id, null, now, data, $"{service.Id}|{incident.IncidentId}|{e.Type}|{seconds}|{number}");
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
            Status = recovered ? "up" : type == AlertTypes.ServiceDegraded ? "degraded" : "down",
            PreviousStatus = recovered ? (incident.Kind == IncidentKind.Outage ? "down" : "degraded") : "up",
            IncidentId = incident.IncidentId,
            LikelyCause = incident.Dependency is { } dependency ? LikelyCause.DependencyDown(dependency).Label : members.Select(m => m.Cause).OfType<string>().GroupBy(c => c).OrderByDescending(g => g.Count()).FirstOrDefault()?.Key,
            Start = incident.Start,
            End = recovered ? now : null,
            DurationSeconds = recovered ? (now - incident.Start!.Value).TotalSeconds : null,
            Regions = members.SelectMany(m => m.Regions).Distinct().Order(StringComparer.Ordinal).ToList(),
            LastError = members.Select(m => m.Error).OfType<string>().FirstOrDefault(),
            Endpoints = members.Select(m => m.Endpoint).ToList(),
            EndpointCount = service.Endpoints.Count,
            Dependants = incident.Dependants.Count > 0 ? incident.Dependants : null,
            StatusPageUrl = alerts.Value.StatusLink(service.Id),
        };
        // An escalation (degraded, then down) can repeat within one incident: its time keeps each one's id apart.
        var seed = escalation ? $"|{now.UtcTicks}" : "";
        return AlertEvents.Create(type, monitor.Value.Instance, service.Id, null, now, data, $"{service.Id}|{incident.IncidentId}|{type}{seed}");
    }

    private static TableEntity Delay(TableEntity row, DateTimeOffset at) =>
        row with { Properties = new Dictionary<string, object?>(row.Properties, StringComparer.Ordinal) { [OutboxRows.NextAttemptAtProperty] = at } };
}
