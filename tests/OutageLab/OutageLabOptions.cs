namespace OutageLab;

/// <summary>Where and how the lab listens. Port 0 picks a free port (what tests want).</summary>
public sealed record OutageLabOptions
{
    public int HttpPort { get; init; }
    public int HttpsPort { get; init; }
    /// <summary>A port with nothing listening; 0 finds a free one and leaves it closed.</summary>
    public int RefusedPort { get; init; }
    /// <summary>How long the generated HTTPS certificate stays valid: short, so expiry checks have something to see.</summary>
    public TimeSpan CertificateLifetime { get; init; } = TimeSpan.FromDays(5);
    /// <summary>
    /// The clock the lab's dates come from (certificate validity, Retry-After dates). Tests pass the
    /// clock of the app under test, so a pinned test date never meets a real-clock certificate.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>The random failures of /chaos/{name}; pass the same instance to a restarted lab to carry them on.</summary>
    public LabChaos Chaos { get; init; } = new();
    /// <summary>Receives one line per request, e.g. "GET /flapping -> 500"; null keeps the lab quiet.</summary>
    public Action<string>? Log { get; init; }
    /// <summary>
    /// Runs on the lab host's services after its own set-up: a benchmark that measures the telemetry of the app beside
    /// it hides the lab's ASP.NET Core diagnostics there, since a probed site's server spans are not the prober's cost.
    /// </summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}
