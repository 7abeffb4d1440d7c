using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Admin;

/// <summary>
/// The <c>ServerlessMonitor.Service.Update</c> event of one operator update: subject <c>services/{service}</c>, the
/// update's state in <c>status</c> and its text in <c>message</c>. The id comes from the incident and the update's
/// place in the timeline (its number), so a retried write yields the same event and subscribers can de-duplicate.
/// </summary>
internal static class IncidentUpdateEvent
{
    public static AlertEvent Create(TableEntity incidentRow, IncidentNote update, int number, ServiceDefinition? service, string instance, string? statusPageUrl)
    {
        var serviceId = incidentRow.GetString("Service") ?? "";
        var id = incidentRow.GetString("Id") ?? "";
        var data = new AlertData
        {
            Service = serviceId,
            ServiceName = service?.Name ?? serviceId,
            // Service-level events name their endpoints in the list, never in endpoint (docs/alert-data.schema.json).
            Endpoints = incidentRow.GetString("Endpoint") is { } endpoint ? [endpoint] : null,
            Status = update.Status,
            IncidentId = id,
            LikelyCause = incidentRow.GetString("Cause"),
            Start = incidentRow.GetDate("Start"),
            End = incidentRow.GetDate("End"),
            Message = update.Message,
            StatusPageUrl = statusPageUrl,
        };
        return AlertEvents.Create(AlertTypes.ServiceUpdate, instance, serviceId, null, update.Time, data,
            $"{id}|{AlertTypes.ServiceUpdate}|{number}");
    }
}
