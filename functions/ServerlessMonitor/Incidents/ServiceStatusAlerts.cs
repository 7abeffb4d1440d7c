using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Incidents;

/// <summary>
/// Raises ServerlessMonitor.Service.StatusChanged when a cycle moves a service's overall status (the
/// worst of its endpoints). Service-level outbox rows live in the service's own partition
/// (<c>{service}</c>, no dot), next to its endpoints' partitions.
/// </summary>
public sealed class ServiceStatusAlerts(OutboxWriter outbox, IOptions<MonitorOptions> monitor, IOptions<AlertsOptions> alerts)
{
    /// <summary>Writes the events; returns the partitions that got outbox rows.</summary>
    public async Task<IReadOnlyList<string>> RaiseAsync(IReadOnlyDictionary<string, StatusRow> before, IReadOnlyList<RecordedProbe> recorded,
        DateTimeOffset now, CancellationToken ct)
    {
        var partitions = new List<string>();
        var changed = recorded.Where(r => r.Global is { } g && g.State.Status != g.Previous.Status).ToList();
        foreach (var group in changed.GroupBy(r => r.Service.Id))
        {
            var service = group.First().Service;
            var newStatuses = group.ToDictionary(r => r.Endpoint.Id, r => r.Global!.State.Status);
            var previous = Overall(service, before, new Dictionary<string, HealthStatus>());
            var current = Overall(service, before, newStatuses);
            // A service seen for the first time has not changed: it was just not known yet.
            if (previous == current || previous == HealthStatus.Unknown)
            {
                continue;
            }
            var regions = group.SelectMany(r => r.Global!.View.DownRegions).Distinct().Order(StringComparer.Ordinal).ToList();
            var e = AlertEvents.Create(AlertTypes.ServiceStatusChanged, monitor.Value.Instance, service.Id, null, now,
                new AlertData
                {
                    Service = service.Id,
                    ServiceName = service.Name,
                    Status = current.ToWire(),
                    PreviousStatus = previous.ToWire(),
                    Regions = regions,
                    StatusPageUrl = alerts.Value.StatusLink(service.Id),
                },
                $"{service.Id}|service-status|{current.ToWire()}|{now.UtcTicks}");
            try
            {
                await outbox.SubmitAsync([TableOperation.Insert(OutboxRows.Create(service.Id, e, now))], ct);
            }
            catch (TableStoreException x) when (x.Kind == TableErrorKind.Conflict)
            {
                // Same id already written (a retried cycle): the event is in the outbox once, as it should be.
            }
            partitions.Add(service.Id);
        }
        return partitions;
    }

    private static HealthStatus Overall(ServiceDefinition service, IReadOnlyDictionary<string, StatusRow> board, Dictionary<string, HealthStatus> overrides) =>
        HealthStatusText.Worst(service.Endpoints.Select(e => overrides.TryGetValue(e.Id, out var s) ? s
            : board.TryGetValue(MonitorTables.EndpointPartition(service.Id, e.Id), out var row) ? row.Status : HealthStatus.Unknown));
}
