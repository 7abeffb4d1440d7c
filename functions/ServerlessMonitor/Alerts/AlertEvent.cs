using System.Text.Json.Serialization;

namespace ServerlessMonitor.Alerts;

/// <summary>The event types of DESIGN §7.</summary>
public static class AlertTypes
{
    public const string EndpointDown = "ServerlessMonitor.Endpoint.Down";
    public const string EndpointDegraded = "ServerlessMonitor.Endpoint.Degraded";
    public const string EndpointRecovered = "ServerlessMonitor.Endpoint.Recovered";
    public const string EndpointReminder = "ServerlessMonitor.Endpoint.StillDown";
    public const string EndpointFlapping = "ServerlessMonitor.Endpoint.Flapping";
    public const string ServiceStatusChanged = "ServerlessMonitor.Service.StatusChanged";
    public const string CertificateExpiring = "ServerlessMonitor.Certificate.Expiring";
    public const string ReportsSurge = "ServerlessMonitor.Reports.Surge";

    /// <summary>A service incident: its endpoints that went down together, grouped into one event (docs/NOTIFICATIONS.md).</summary>
    public const string ServiceDown = "ServerlessMonitor.Service.Down";
    public const string ServiceDegraded = "ServerlessMonitor.Service.Degraded";
    public const string ServiceRecovered = "ServerlessMonitor.Service.Recovered";

    /// <summary>A counted reminder that a service incident goes on, for the channels with that remindEvery.</summary>
    public const string ServiceStillDown = "ServerlessMonitor.Service.StillDown";

    /// <summary>The probing location (a region) cannot reach the internet: its failures say nothing about the services (docs/SELFCHECK.md).</summary>
    public const string MonitorOffline = "ServerlessMonitor.Monitor.Offline";

    /// <summary>The probing location reaches the internet again; its probes count again.</summary>
    public const string MonitorOnline = "ServerlessMonitor.Monitor.Online";

    /// <summary>An operator's update on an incident (investigating → identified → monitoring → resolved), subject <c>services/{service}</c>.</summary>
    public const string ServiceUpdate = "ServerlessMonitor.Service.Update";
    /// <summary>Planned maintenance of a service, announced Maintenance:AnnounceBefore ahead, when it starts and when it ends (subject services/{service}).</summary>
    public const string ServiceMaintenanceScheduled = "ServerlessMonitor.Service.MaintenanceScheduled";
    public const string ServiceMaintenanceStarted = "ServerlessMonitor.Service.MaintenanceStarted";
    public const string ServiceMaintenanceEnded = "ServerlessMonitor.Service.MaintenanceEnded";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        EndpointDown, EndpointDegraded, EndpointRecovered, EndpointReminder, ServiceStatusChanged, CertificateExpiring, ReportsSurge,
        EndpointFlapping, ServiceDown, ServiceDegraded, ServiceRecovered, ServiceStillDown,
        MonitorOffline, MonitorOnline,
        ServiceUpdate,
        ServiceMaintenanceScheduled, ServiceMaintenanceStarted, ServiceMaintenanceEnded,
    };
}

/// <summary>
/// One alert as a CloudEvents 1.0 envelope. The id is derived from the transition that caused it,
/// so a retried write or delivery carries the same id and subscribers can de-duplicate.
/// </summary>
public sealed record AlertEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("data")] AlertData Data)
{
    // Listed first on the wire, as in the CloudEvents spec examples.
    [JsonPropertyName("specversion")]
    [JsonPropertyOrder(-1)]
    public string SpecVersion => "1.0";

    [JsonPropertyName("datacontenttype")]
    public string DataContentType => "application/json";
}

/// <summary>The data of every alert; fields that do not apply to a type are null.</summary>
public sealed record AlertData
{
    /// <summary>Every service and endpoint event names its service; Monitor.* events are about a probing region and have none.</summary>
    public string? Service { get; init; }
    public string? ServiceName { get; init; }
    public string? Endpoint { get; init; }
    public string? Url { get; init; }
    public required string Status { get; init; }
    public string? PreviousStatus { get; init; }
    public string? IncidentId { get; init; }
    public string? LikelyCause { get; init; }
    public string? Evidence { get; init; }
    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public double? DurationSeconds { get; init; }
    public IReadOnlyList<string>? Regions { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? CertificateExpiry { get; init; }
    public int? Reports { get; init; }
    public string? StatusPageUrl { get; init; }

    /// <summary>Monitor.* events: the probing region whose connectivity changed.</summary>
    public string? Region { get; init; }

    /// <summary>Monitor.Offline: when the statuses shown were last confirmed (the region's last good cycle).</summary>
    public DateTimeOffset? StatusesFrom { get; init; }

    /// <summary>Service.* incident events: the endpoints failing (or, on Service.Recovered, that failed) in the incident.</summary>
    public IReadOnlyList<string>? Endpoints { get; init; }

    /// <summary>Service.* incident events: how many endpoints the service has.</summary>
    public int? EndpointCount { get; init; }

    /// <summary>Service.* incident events of a dependency: the services whose incidents were folded into it (catalog dependsOn).</summary>
    public IReadOnlyList<string>? Dependants { get; init; }

    /// <summary>Service.StillDown: which reminder this is (1, 2, …) and the interval it counts.</summary>
    public int? Reminder { get; init; }
    public double? ReminderIntervalSeconds { get; init; }

    /// <summary>Monitor.* events: the sentence the status page shows; Service.Update: the operator's text.</summary>
    public string? Message { get; init; }
}
