using System.Text.Json.Serialization;

using ServerlessMonitor.Status;

namespace ServerlessMonitor.Incidents;

/// <summary>What an incident is about; stored and shown by its wire name ("outage", "degraded", "maintenance").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IncidentKind>))]
public enum IncidentKind
{
    [JsonStringEnumMemberName("outage")] Outage,
    [JsonStringEnumMemberName("degraded")] Degraded,
    [JsonStringEnumMemberName("maintenance")] Maintenance,
}

/// <summary>The one home of the incident kinds' wire names.</summary>
public static class IncidentKinds
{
    public static string ToWire(this IncidentKind kind) => kind switch
    {
        IncidentKind.Outage => "outage",
        IncidentKind.Degraded => "degraded",
        IncidentKind.Maintenance => "maintenance",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an incident kind"),
    };

    /// <summary>A stored kind; rows written before kinds were recorded (none stored) are outages, as they were then.</summary>
    public static IncidentKind ParseWire(string? wire) => wire switch
    {
        null or "" or "outage" => IncidentKind.Outage,
        "degraded" => IncidentKind.Degraded,
        "maintenance" => IncidentKind.Maintenance,
        _ => throw new FormatException($"unknown incident kind '{wire}' (expected outage, degraded or maintenance)"),
    };

    /// <summary>The incident a global status calls for, if any.</summary>
    public static IncidentKind? For(HealthStatus status) => status switch
    {
        HealthStatus.Down or HealthStatus.Partial => IncidentKind.Outage,
        HealthStatus.Degraded => IncidentKind.Degraded,
        HealthStatus.Maintenance => IncidentKind.Maintenance,
        _ => null,
    };
}
