using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Maintenance;

/// <summary>
/// Writes Service.MaintenanceScheduled (Maintenance:AnnounceBefore ahead), .MaintenanceStarted and .MaintenanceEnded for every window of
/// the catalog and the admin API, each once per occurrence: the AlertsTimer runs this on every instance each minute, and an event is
/// written only with its marker row in one batch (<see cref="MaintenanceEventRows"/>), so a second instance or a restart writes nothing.
/// The outbox then delivers them like any service-level event (Event Grid, webhooks, channels routed with <c>events: maintenance</c>).
/// </summary>
internal sealed class MaintenanceEvents(CatalogProvider catalog, MaintenanceCalendar calendar, ITableStore store, MonitorTables tables, OutboxWriter outbox,
    IOptions<MaintenanceOptions> options, IOptions<MonitorOptions> monitor, IOptions<AlertsOptions> alerts, TimeProvider time,
    ILogger<MaintenanceEvents> logger) : IClockEvents
{
    // Events this instance knows are written, until their marker may go: spares a partition read every minute of a 48 h announcement.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _written = new(StringComparer.Ordinal);

    public async Task<string?> WriteDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var inForce = catalog.Current;
        var windows = inForce.Maintenance.Concat((await calendar.StoredAsync(ct)).Select(s => s.Window));
        var due = windows.SelectMany(w => MaintenanceOccurrence.Due(w, now, options.Value.AnnounceBefore))
            .Select(d => inForce.FindService(d.Occurrence.Window.Service) is { } service ? Due.Of(service, d.Occurrence, d.Phase) : null)
            .OfType<Due>().DistinctBy(d => d.Seed).Where(d => !_written.ContainsKey(d.Seed)).ToList();
        foreach (var (seed, _) in _written.Where(w => w.Value < now))
        {
            _written.TryRemove(seed, out _);
        }
        var written = 0;
        foreach (var group in due.GroupBy(d => d.Service.Id))
        {
            try
            {
                written += await WriteServiceAsync(group.Key, group.ToList(), now, ct);
            }
            catch (TableStoreException e)
            {
                logger.LogWarning("Maintenance events of {Service} not written: {Reason}; the next sweep tries again", group.Key, e.Message);
            }
        }
        return written == 0 ? null : $"maintenance: {written} event(s) written";
    }

    private async Task<int> WriteServiceAsync(string service, List<Due> due, DateTimeOffset now, CancellationToken ct)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in store.QueryAllAsync(tables.Endpoints, service, MaintenanceEventRows.Range, null, ct))
        {
            existing.Add(row.RowKey);
            if (row.GetDate(MaintenanceEventRows.UntilProperty) is { } until && until + MaintenanceEventRows.KeepAfter < now)
            {
                await store.ExecuteAsync(tables.Endpoints, TableOperation.Delete(service, row.RowKey, row.ETag ?? "*"), ct);
            }
        }
        var written = 0;
        foreach (var d in due)
        {
            var e = Event(d, now);
            if (!existing.Contains(MaintenanceEventRows.Key(e.Id)))
            {
                try
                {
                    await outbox.SubmitAsync(
                        [TableOperation.Insert(MaintenanceEventRows.Create(service, e.Id, d.Until)), TableOperation.Insert(OutboxRows.Create(service, e, now))], ct);
                    logger.LogInformation("{Type} for {Service} written: {Message}", e.Type, service, e.Data.Message);
                    written++;
                }
                catch (TableStoreException x) when (x.Kind == TableErrorKind.Conflict)
                {
                    // Another instance wrote it first.
                }
            }
            _written[d.Seed] = d.Until + MaintenanceEventRows.KeepAfter;
        }
        return written;
    }

    private AlertEvent Event(Due d, DateTimeOffset now)
    {
        var o = d.Occurrence;
        var data = new AlertData
        {
            Service = d.Service.Id,
            ServiceName = d.Service.Name,
            Endpoint = o.Window.Endpoint,
            Status = "maintenance",
            // The occurrence's id, the same on its three events: they keep their order per sink like an incident's.
            IncidentId = "maintenance-" + AlertEvents.StableId(o.Seed(MaintenancePhase.Scheduled))[..16],
            Start = o.Start,
            End = o.End,
            DurationSeconds = o.Window.Duration.TotalSeconds,
            Message = d.Phase switch
            {
                MaintenancePhase.Scheduled => $"{MaintenanceText.Planned(o, now)} for {d.Service.Name}",
                MaintenancePhase.Started => $"{d.Service.Name}: {MaintenanceText.Running(o, now)}",
                _ => $"{d.Service.Name}: planned maintenance {MaintenanceText.Span(o.Start, o.End, now)} has ended",
            },
            StatusPageUrl = alerts.Value.StatusLink(d.Service.Id),
        };
        return AlertEvents.Create(d.Type, monitor.Value.Instance, d.Service.Id, null, now, data, d.Seed);
    }

    private sealed record Due(ServiceDefinition Service, MaintenanceOccurrence Occurrence, MaintenancePhase Phase, string Seed)
    {
        public static Due Of(ServiceDefinition service, MaintenanceOccurrence o, MaintenancePhase phase) => new(service, o, phase, o.Seed(phase));

        public string Type => Phase switch
        {
            MaintenancePhase.Scheduled => AlertTypes.ServiceMaintenanceScheduled,
            MaintenancePhase.Started => AlertTypes.ServiceMaintenanceStarted,
            _ => AlertTypes.ServiceMaintenanceEnded,
        };

        /// <summary>Until when the phase can still be due: its marker is kept past it.</summary>
        public DateTimeOffset Until => Phase switch
        {
            MaintenancePhase.Scheduled => Occurrence.Start,
            MaintenancePhase.Started => Occurrence.End,
            _ => Occurrence.End + MaintenanceOccurrence.EndedLateness,
        };
    }
}
