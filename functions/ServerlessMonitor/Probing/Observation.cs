using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Probing;

/// <summary>A probe response judged against the endpoint's conditions.</summary>
public sealed record Observation(
    ProbeOutcome Outcome,
    ProbeResponse Response,
    IReadOnlyList<ConditionResult> Conditions,
    string? Error,
    ErrorKind? ErrorKind,
    DateTimeOffset CheckedAt,
    int Attempts)
{
    public long ResponseTimeMs => (long)Response.Timings.Total.TotalMilliseconds;
}
