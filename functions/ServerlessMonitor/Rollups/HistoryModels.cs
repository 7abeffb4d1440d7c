namespace ServerlessMonitor.Rollups;

/// <summary>One raw probe result.</summary>
public sealed record CheckDto(
    DateTimeOffset CheckedAt,
    string Endpoint,
    string Region,
    string Outcome,
    int? HttpStatus,
    long ResponseTimeMs,
    long? DnsMs,
    long? ConnectMs,
    long? TlsMs,
    long? FirstByteMs,
    string? Ip,
    string? Error,
    string? ErrorKind,
    string? Conditions);

/// <summary>
/// A page of checks and what the store still holds (Monitor:RawRetention, Monitor:EventRetention): every check from
/// <see cref="RawFrom"/>; before that, back to <see cref="EventsFrom"/>, only checks that failed or changed the status.
/// </summary>
public sealed record CheckPageDto(string Service, string Endpoint, IReadOnlyList<CheckDto> Checks, string? ContinuationToken)
{
    public DateTimeOffset? RawFrom { get; init; }

    public DateTimeOffset? EventsFrom { get; init; }
}

/// <summary>A day's uptime bar: share of good checks (null = not checked), and how many checks it rests on.</summary>
public sealed record UptimeDayDto(DateOnly Day, double? Uptime, long Checks, long Down, long Maintenance);

public sealed record EndpointUptimeDto(string Endpoint, double? Uptime, IReadOnlyList<UptimeDayDto> Days);

/// <summary>Daily bars for a service: per endpoint and for the service (each day's worst endpoint).</summary>
public sealed record UptimeHistoryDto(string Service, int Days, double? Uptime, IReadOnlyList<UptimeDayDto> Bars, IReadOnlyList<EndpointUptimeDto> Endpoints);

/// <summary>
/// One row of the comparison table. <see cref="MeasuredSeconds"/>: how much of the window its figures were measured
/// over; <see cref="DowntimeHoursPerYear"/> is null below <see cref="MeasuredSpan.MinForYear"/>.
/// </summary>
public sealed record CompareRowDto(
    string Service,
    string Name,
    string Category,
    double? Uptime,
    double? DowntimeHoursPerYear,
    double? P50Ms,
    double? P95Ms,
    int Incidents,
    long Checks,
    long Reports)
{
    public long MeasuredSeconds { get; init; }
}

public sealed record CompareDto(int Days, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<CompareRowDto> Services);
