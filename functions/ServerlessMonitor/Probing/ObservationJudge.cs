using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Probing;

/// <summary>
/// Turns a raw response into up / degraded / down, with the error people will read. The body is needed only here:
/// the observation keeps none of it, or its excerpt when the probe failed, so recorded probes hold no bodies.
/// </summary>
public static class ObservationJudge
{
    public static Observation Judge(EndpointDefinition endpoint, ProbeResponse response, DateTimeOffset checkedAt, int attempts = 1)
    {
        var judged = JudgeWithBody(endpoint, response, checkedAt, attempts);
        // Judged: the body's buffer goes back to the prober's pool.
        response.Body?.Dispose();
        return judged with
        {
            Response = response with { Body = null, BodyExcerpt = judged.Outcome == ProbeOutcome.Up ? null : response.BodyExcerpt },
        };
    }

    private static Observation JudgeWithBody(EndpointDefinition endpoint, ProbeResponse response, DateTimeOffset checkedAt, int attempts)
    {
        var results = endpoint.Conditions.Select(c => c.Evaluate(response, checkedAt)).ToList();
        if (response.ErrorKind is { } kind)
        {
            return new Observation(ProbeOutcome.Down, response, results, response.Error, kind, checkedAt, attempts);
        }
        var failed = results.FirstOrDefault(r => !r.Success);
        if (failed is not null)
        {
            var statusFailed = failed.Condition.Contains("[STATUS]", StringComparison.Ordinal);
            return new Observation(ProbeOutcome.Down, response, results, $"condition failed: {failed.Resolved}",
                statusFailed ? ErrorKind.HttpStatus : ErrorKind.Condition, checkedAt, attempts);
        }
        var degraded = endpoint.DegradedWhen.Select(c => c.Evaluate(response, checkedAt)).FirstOrDefault(r => r.Success);
        return degraded is null
            ? new Observation(ProbeOutcome.Up, response, results, null, null, checkedAt, attempts)
            : new Observation(ProbeOutcome.Degraded, response, results, $"degraded: {degraded.Resolved}", null, checkedAt, attempts);
    }
}
