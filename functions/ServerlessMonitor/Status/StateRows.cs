using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Status;

/// <summary>Maps endpoint state and probe results to and from table rows.</summary>
public static class StateRows
{
    public static TableEntity ToEntity(string partition, string rowKey, EndpointState s, string? etag) =>
        new(partition, rowKey, new Dictionary<string, object?>
        {
            ["Status"] = s.Status.ToWire(),
            ["Since"] = s.Since,
            ["Failures"] = s.Failures,
            ["Successes"] = s.Successes,
            ["DegradedStreak"] = s.DegradedStreak,
            ["UpStreak"] = s.UpStreak,
            ["LastCheck"] = s.LastCheck,
            ["BaselineMs"] = s.BaselineMs,
            ["BaselineSamples"] = s.BaselineSamples,
            ["CertWarnedFor"] = s.CertWarnedFor,
            ["FlappingSince"] = s.FlappingSince,
        })
        { ETag = etag };

    public static EndpointState FromEntity(TableEntity e) => new(
        HealthStatusText.ParseWire(e.GetString("Status")),
        e.GetDate("Since"),
        (int)e.GetInt64("Failures"),
        (int)e.GetInt64("Successes"),
        (int)e.GetInt64("DegradedStreak"),
        (int)e.GetInt64("UpStreak"),
        e.GetDate("LastCheck"))
    {
        BaselineMs = e.GetDouble("BaselineMs"),
        BaselineSamples = (int)e.GetInt64("BaselineSamples"),
        CertWarnedFor = e.GetString("CertWarnedFor"),
        FlappingSince = e.GetDate("FlappingSince"),
    };

    /// <summary>Marks a result that changed the endpoint's status: kept like a failure (Monitor:EventRetention).</summary>
    public const string ChangedProperty = ResultEvents.ChangedProperty;

    public static TableEntity ResultEntity(string partition, string region, Observation o, bool changedStatus = false)
    {
        var r = o.Response;
        return new TableEntity(partition, MonitorTables.ResultKey(o.CheckedAt, region), new Dictionary<string, object?>
        {
            ["Region"] = region,
            ["CheckedAt"] = o.CheckedAt,
            ["Outcome"] = o.Outcome.ToString().ToLowerInvariant(),
            ["StatusCode"] = r.StatusCode,
            ["ResponseMs"] = o.ResponseTimeMs,
            ["DnsMs"] = Ms(r.Timings.Dns),
            ["ConnectMs"] = Ms(r.Timings.Connect),
            ["TlsMs"] = Ms(r.Timings.Tls),
            ["FirstByteMs"] = Ms(r.Timings.FirstByte),
            ["Ip"] = r.Ip,
            ["CertificateExpiry"] = r.CertificateExpiry,
            ["Error"] = Truncate(o.Error, 1000),
            ["ErrorKind"] = o.ErrorKind?.ToWire(),
            ["Conditions"] = Truncate(string.Join("\n", o.Conditions.Select(c => (c.Success ? "✓ " : "✗ ") + c.Resolved)), 4000),
            ["Attempts"] = o.Attempts,
            [ChangedProperty] = changedStatus ? true : null,
        });
    }

    /// <summary>
    /// Whether a result row is an event (kept Monitor:EventRetention): it failed, or it changed the status. Rows written before
    /// the Changed mark existed count by their outcome alone.
    /// </summary>
    public static bool IsEvent(TableEntity result) => ResultEvents.IsEvent(result);

    private static long? Ms(TimeSpan? t) => t is { } v ? (long)v.TotalMilliseconds : null;

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max] + "…";
}

public static class ErrorKindText
{
    public static string ToWire(this ErrorKind k) => k switch
    {
        ErrorKind.HttpStatus => "http-status",
        ErrorKind.RunTime => "run-time",
        _ => k.ToString().ToLowerInvariant(),
    };
}
