namespace ServerlessMonitor.Status;

/// <summary>Uptime over 24 h / 7 d / 30 d and recent response-time percentiles of a service.</summary>
public sealed record ServiceFiguresDto(UptimeDto Uptime, ResponseTimeDto ResponseTime);

/// <summary>
/// Uptime shares (0..1) per window; null where nothing was checked. Beside each, the seconds of the window it was
/// measured over (Rollups/MeasuredSpan.cs): a window of young data is shown with its actual span.
/// </summary>
public sealed record UptimeDto(double? H24, double? D7, double? D30)
{
    public long H24MeasuredSeconds { get; init; }

    public long D7MeasuredSeconds { get; init; }

    public long D30MeasuredSeconds { get; init; }
}

/// <summary>Response-time percentiles (ms) over the last 24 hours of the service's first http endpoint, and the seconds of it measured.</summary>
public sealed record ResponseTimeDto(double? P50, double? P95, double? P99, double? Average)
{
    public long MeasuredSeconds { get; init; }
}
