using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Status;

namespace ServerlessMonitor.Incidents;

/// <summary>What most probably caused a failure, with the evidence that points to it.</summary>
public sealed record CauseFinding(string Cause, string Label, string Evidence);

/// <summary>
/// Reads a failed (or degraded) observation like an on-call engineer would. Pure: the observation,
/// the endpoint's own latency baseline and the maintenance calendar are all it needs.
/// </summary>
public static class LikelyCause
{
    public const string Dns = "dns";
    public const string Network = "network";
    public const string Tls = "tls";
    public const string ServerError = "server-error";
    public const string Overload = "overload";
    public const string Maintenance = "maintenance";
    public const string Content = "content";
    public const string NoHeartbeat = "no-heartbeat";
    public const string JobFailed = "job-failed";

    /// <summary>Latency this many times the endpoint's usual response time counts as overload.</summary>
    public const double OverloadFactor = 3.0;

    public static CauseFinding Analyze(Observation o, double? baselineMs, bool inMaintenance)
    {
        var r = o.Response;
        if (inMaintenance)
        {
            return new(Maintenance, "planned maintenance", "inside a maintenance window of the catalog");
        }
        if (r.StatusCode == 503 && r.RetryAfter is { } retry)
        {
            return new(Maintenance, "planned maintenance", $"503 Service Unavailable with Retry-After: {retry.TotalSeconds:F0} s");
        }
        switch (o.ErrorKind)
        {
            case ErrorKind.Dns:
                return new(Dns, "DNS failure", o.Error ?? "name resolution failed");
            case ErrorKind.Refused or ErrorKind.Network:
                return new(Network, "network/connection failure", o.Error ?? "could not connect");
            case ErrorKind.Tls:
                return new(Tls, "TLS/certificate problem", o.Error ?? "TLS handshake failed");
            case ErrorKind.Timeout:
                return new(Overload, "overload / high traffic", $"no answer in time ({o.Error})");
            case ErrorKind.Redirects:
                // The server answers, but not with content: what it redirects to is the finding.
                return new(Content, "content check failed", o.Error ?? "redirects not followed");
            case ErrorKind.Late or ErrorKind.RunTime:
                // Push endpoints: the clock's verdict (Push/PushJudge) is the evidence.
                return new(NoHeartbeat, "no heartbeat", o.Error ?? "no heartbeat in time");
            case ErrorKind.Reported:
                return new(JobFailed, "the job reported failure", o.Error ?? "the job reported failure");
        }
        if (r.StatusCode is 429 or 503)
        {
            return new(Overload, "overload / high traffic", $"HTTP {r.StatusCode} {(r.StatusCode == 429 ? "Too Many Requests" : "Service Unavailable")}");
        }
        if (r.StatusCode is >= 500)
        {
            return new(ServerError, "server errors (5xx)", $"HTTP {r.StatusCode}");
        }
        if (o.Conditions.FirstOrDefault(c => !c.Success) is { } failed && failed.Condition.Contains("[CERTIFICATE_EXPIRATION]", StringComparison.Ordinal))
        {
            return new(Tls, "TLS/certificate problem", failed.Resolved);
        }
        if (baselineMs is > 0 && o.ResponseTimeMs > OverloadFactor * baselineMs.Value)
        {
            return new(Overload, "overload / high traffic",
                $"response time {o.ResponseTimeMs} ms is {o.ResponseTimeMs / baselineMs.Value:F1}× the usual {baselineMs.Value:F0} ms");
        }
        var first = o.Conditions.FirstOrDefault(c => !c.Success);
        return new(Content, "content check failed", first?.Resolved ?? o.Error ?? "a condition failed");
    }

    /// <summary>The endpoint's usual response time: an exponentially weighted average of good probes.</summary>
    public static (double? BaselineMs, int Samples) UpdateBaseline(double? baselineMs, int samples, Observation o)
    {
        if (o.Outcome != ProbeOutcome.Up)
        {
            return (baselineMs, samples);
        }
        var ms = (double)o.ResponseTimeMs;
        return (baselineMs is { } b ? b + (ms - b) * 0.1 : ms, samples + 1);
    }

    /// <summary>A baseline needs some history before it can accuse anyone of being slow.</summary>
    public static double? UsableBaseline(double? baselineMs, int samples) => samples >= 10 ? baselineMs : null;
}
