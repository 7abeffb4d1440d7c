namespace ServerlessMonitor.Status;

/// <summary>The persisted state of one endpoint in one region: status plus the streaks thresholds need.</summary>
public sealed record EndpointState(
    HealthStatus Status,
    DateTimeOffset? Since,
    int Failures,
    int Successes,
    int DegradedStreak,
    int UpStreak,
    DateTimeOffset? LastCheck)
{
    public static readonly EndpointState Initial = new(HealthStatus.Unknown, null, 0, 0, 0, 0, null);

    /// <summary>The endpoint's usual response time (EWMA of good probes) and how many probes it rests on.</summary>
    public double? BaselineMs { get; init; }

    public int BaselineSamples { get; init; }

    /// <summary>Expiry of the certificate this region already raised a warning for.</summary>
    public string? CertWarnedFor { get; init; }

    /// <summary>
    /// This region's copy of the global "flapping since" (decided across regions by the incident tracker).
    /// While it is set, every probe goes to the global state, since only a probe there can see it settle.
    /// </summary>
    public DateTimeOffset? FlappingSince { get; init; }
}

public sealed record Thresholds(int Failure, int Success);

/// <summary>What a transition asks the world to do about incidents.</summary>
public abstract record StateEffect
{
    private StateEffect()
    {
    }

    public sealed record OpenIncident(HealthStatus Kind) : StateEffect;

    public sealed record UpdateIncident : StateEffect;

    public sealed record ResolveIncident : StateEffect;
}
