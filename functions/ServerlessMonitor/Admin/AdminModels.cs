using ServerlessMonitor.Incidents;
using ServerlessMonitor.Status;

namespace ServerlessMonitor.Admin;

/// <summary>
/// A maintenance window as the admin API lists it. Catalog windows have no id (they are changed by
/// editing monitors.json); windows added through the API have one and can be deleted.
/// </summary>
public sealed record MaintenanceWindowDto(
    string? Id,
    string Source,
    string Service,
    string? Endpoint,
    DateTimeOffset Start,
    string Duration,
    string? Every,
    bool Active,
    DateTimeOffset? CreatedAt);

public sealed record MaintenanceListDto(IReadOnlyList<MaintenanceWindowDto> Windows);

/// <summary>Body of POST /api/admin/incidents/{id}/notes.</summary>
public sealed record NoteRequest(string? Status, string? Message);

public sealed record IncidentNotesDto(string IncidentId, IReadOnlyList<IncidentNote> Notes);

/// <summary>What one manual probe observed, and the endpoint's status after it was recorded; a failure shows the first bytes of the body its conditions read.</summary>
public sealed record ProbeResultDto(
    string Service,
    string Endpoint,
    DateTimeOffset CheckedAt,
    string Outcome,
    HealthStatus Status,
    HealthStatus PreviousStatus,
    long ResponseTimeMs,
    int? HttpStatus,
    string? Error,
    string? ErrorKind,
    int Attempts,
    IReadOnlyList<string> Conditions,
    string? BodyExcerpt);
