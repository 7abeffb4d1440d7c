using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Notifications;

/// <summary>
/// Re-derives a service incident whose write failed: the endpoint alerts of that cycle are gone (they were in memory), so the
/// endpoints' current states on the status board stand in for them. An endpoint with an incident that is not a member joins
/// (as Down or Degraded), a member that is up again leaves; <see cref="ServiceIncidentRule"/> then opens, escalates or resolves
/// as it would have, and the events' stable ids keep a write that did land from being sent twice.
/// </summary>
internal static class ServiceIncidentRepair
{
    public static IReadOnlyList<AlertEvent> Changes(ServiceDefinition service, ServiceIncident incident, IReadOnlyDictionary<string, StatusRow> board,
        string instance, DateTimeOffset now)
    {
        var members = incident.Members.Select(m => m.Endpoint).ToHashSet(StringComparer.Ordinal);
        var changes = new List<AlertEvent>();
        foreach (var endpoint in service.Endpoints)
        {
            if (!board.TryGetValue(MonitorTables.EndpointPartition(service.Id, endpoint.Id), out var row))
            {
                continue;
            }
            var type = row.Status switch
            {
                HealthStatus.Down or HealthStatus.Partial when row.Incident is not null && !members.Contains(endpoint.Id) => AlertTypes.EndpointDown,
                HealthStatus.Degraded when row.Incident is not null && !members.Contains(endpoint.Id) => AlertTypes.EndpointDegraded,
                HealthStatus.Up when members.Contains(endpoint.Id) => AlertTypes.EndpointRecovered,
                _ => null,
            };
            if (type is null)
            {
                continue;
            }
            var data = new AlertData
            {
                Service = service.Id,
                ServiceName = service.Name,
                Endpoint = endpoint.Id,
                Status = row.Status.ToWire(),
                IncidentId = row.Incident?.Id,
                LikelyCause = row.Incident?.Cause,
                LastError = string.IsNullOrEmpty(row.LastError) ? null : row.LastError,
                Regions = row.DownRegions.Count > 0 ? row.DownRegions : row.Regions,
                Start = row.Since,
            };
            changes.Add(AlertEvents.Create(type, instance, service.Id, endpoint.Id, row.Since ?? now, data,
                $"{service.Id}|{endpoint.Id}|repair|{row.Incident?.Id}|{type}"));
        }
        return changes;
    }
}
