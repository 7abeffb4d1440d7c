namespace ServerlessMonitor.Conditions;

/// <summary>Why a probe failed. Serialised in kebab case: dns, refused, timeout, tls, http-status, condition, network, redirects, late, run-time, reported.</summary>
public enum ErrorKind
{
    Dns,
    Refused,
    Timeout,
    Tls,
    HttpStatus,
    Condition,
    Network,
    /// <summary>Too many redirects, or a redirect the policy refuses (the probe's redirect policy).</summary>
    Redirects,
    /// <summary>push: no heartbeat by the expected time plus grace.</summary>
    Late,
    /// <summary>push: a run reported its start and no finish within maxRunTime.</summary>
    RunTime,
    /// <summary>push: the job itself reported failure (fail, status=down, a non-zero exit code).</summary>
    Reported,
}

public sealed record ProbeTimings(TimeSpan? Dns, TimeSpan? Connect, TimeSpan? Tls, TimeSpan? FirstByte, TimeSpan Total);

/// <summary>
/// What one probe saw, before conditions are applied. Transport failures set <see cref="Error"/> and
/// <see cref="ErrorKind"/>; an HTTP 503 is not an error here (conditions judge it).
/// </summary>
public sealed record ProbeResponse
{
    public bool Connected { get; init; }
    public int? StatusCode { get; init; }
    public ProbeTimings Timings { get; init; } = new(null, null, null, null, TimeSpan.Zero);
    public string? Ip { get; init; }
    public DateTimeOffset? CertificateExpiry { get; init; }
    /// <summary>The body, read up to the cap (1 MiB by default) and decoded as UTF-8.</summary>
    public string? Body { get; init; }
    public bool BodyTruncated { get; init; }
    /// <summary>dns probes: NOERROR, NXDOMAIN, SERVFAIL …</summary>
    public string? DnsRcode { get; init; }
    /// <summary>Retry-After of the response, when the server sent one (maintenance / overload evidence).</summary>
    public TimeSpan? RetryAfter { get; init; }
    public string? Error { get; init; }
    public ErrorKind? ErrorKind { get; init; }
}
