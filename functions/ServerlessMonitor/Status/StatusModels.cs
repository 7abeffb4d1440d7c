using ServerlessMonitor.SelfCheck;

namespace ServerlessMonitor.Status;

public sealed record EndpointStatusDto(
    string Id,
    string Kind,
    string Target,
    HealthStatus Status,
    DateTimeOffset? Since,
    DateTimeOffset? LastCheck,
    long? ResponseTimeMs,
    int? HttpStatus,
    string? LastError,
    string? ErrorKind,
    DateTimeOffset? CertificateExpiry,
    IReadOnlyList<string> Regions,
    IReadOnlyList<string> DownRegions,
    IncidentSummaryDto? Incident)
{
    /// <summary>Why the endpoint's latest scheduled check did not happen (its probe shard failed for good); null when it did.</summary>
    public string? ProbeProblem { get; init; }

    /// <summary>
    /// The status changed too often lately: its Down/Recovered alerts are held back until it has been stable
    /// again (the status page calls it unstable).
    /// </summary>
    public bool Flapping { get; init; }

    public DateTimeOffset? FlappingSince { get; init; }

    /// <summary>Only on /api/status/{service}: the catalog's interval (null for push endpoints, which are not probed).</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>
    /// Only on /api/status/{service}: how often the endpoint is really probed here — longer than <see cref="Interval"/> when the
    /// probe schedule cannot honour it (Functions: a 20-s interval under a 30-s schedule is probed every 30 s).
    /// </summary>
    public TimeSpan? EffectiveInterval { get; init; }
}

/// <summary>The open incident behind a status: what kind, and the likely cause with its evidence.</summary>
public sealed record IncidentSummaryDto(string Id, string Kind, string LikelyCause, string Cause, string Evidence);

public sealed record ServiceStatusDto(
    string Id,
    string Name,
    string Category,
    HealthStatus Status,
    DateTimeOffset? Since,
    DateTimeOffset? LastCheck,
    IReadOnlyList<string> DownRegions,
    IncidentSummaryDto? Incident,
    IReadOnlyList<EndpointStatusDto> Endpoints)
{
    /// <summary>Uptime (24 h, 7 d, 30 d) and response times, from rollups.</summary>
    public ServiceFiguresDto? Figures { get; init; }

    /// <summary>Only on /api/status/{service}: each endpoint as each probing region sees it.</summary>
    public IReadOnlyList<RegionStatusDto>? Regions { get; init; }

    /// <summary>Only on /api/status/{service}: what to try when the service works for us but not for you.</summary>
    public IReadOnlyList<string>? Advice { get; init; }

    /// <summary>Only on /api/status/{service}: can our probes see the services at all (monitor self-check)?</summary>
    public MonitorStatusDto? Monitor { get; init; }
}

/// <summary>One endpoint as one probing region sees it.</summary>
public sealed record RegionStatusDto(string Endpoint, string Region, HealthStatus Status, DateTimeOffset? Since, DateTimeOffset? LastCheck);

public sealed record StatusOverviewDto(string Region, DateTimeOffset GeneratedAt, HealthStatus Status, IReadOnlyList<ServiceStatusDto> Services)
{
    /// <summary>Can our probes see the services at all (monitor self-check)? Offline: the statuses are the last known ones.</summary>
    public MonitorStatusDto Monitor { get; init; } = MonitorStatusDto.Online;
}

public sealed record HealthDto(string Status, string Region, string Instance, string Mode, string Version);
