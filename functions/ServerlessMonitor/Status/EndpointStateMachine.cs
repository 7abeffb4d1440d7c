using ServerlessMonitor.Probing;
namespace ServerlessMonitor.Status;

/// <summary>
/// Pure transition function of an endpoint's status in one region. Thresholds stop single blips: it takes
/// <see cref="Thresholds.Failure"/> failed probes in a row to go down and
/// <see cref="Thresholds.Success"/> good ones in a row to come back. The very first good probe of
/// an unknown endpoint is trusted at once (nothing to flap from). An endpoint that still changes too often
/// across the thresholds is flapping; that is decided across regions, where the alerts are
/// (Incidents/FlapDetector), not here.
/// </summary>
public static class EndpointStateMachine
{
    public static (EndpointState State, IReadOnlyList<StateEffect> Effects) Transition(
        EndpointState state, ProbeOutcome outcome, bool inMaintenance, Thresholds thresholds, DateTimeOffset now)
    {
        if (inMaintenance)
        {
            // Planned work explains failures: no incident opens, an open one is closed.
            var effects = state.Status is HealthStatus.Down or HealthStatus.Degraded ? [new StateEffect.ResolveIncident()] : Array.Empty<StateEffect>();
            var since = state.Status == HealthStatus.Maintenance ? state.Since : now;
            // Only the streaks restart; what the state carries for others (baseline, copies of global facts) stays.
            return (state with { Status = HealthStatus.Maintenance, Since = since, Failures = 0, Successes = 0, DegradedStreak = 0, UpStreak = 0, LastCheck = now },
                effects);
        }

        var down = outcome == ProbeOutcome.Down;
        var next = state with
        {
            Failures = down ? state.Failures + 1 : 0,
            Successes = down ? 0 : state.Successes + 1,
            DegradedStreak = outcome == ProbeOutcome.Degraded ? state.DegradedStreak + 1 : 0,
            UpStreak = outcome == ProbeOutcome.Up ? state.UpStreak + 1 : 0,
            LastCheck = now,
        };
        var healthy = outcome == ProbeOutcome.Up ? HealthStatus.Up : HealthStatus.Degraded;

        return state.Status switch
        {
            HealthStatus.Unknown or HealthStatus.Maintenance when !down => Move(next, healthy, now, healthy == HealthStatus.Degraded ? Open(HealthStatus.Degraded) : []),
            HealthStatus.Unknown or HealthStatus.Maintenance when next.Failures >= thresholds.Failure => Move(next, HealthStatus.Down, now, Open(HealthStatus.Down)),
            HealthStatus.Up when next.Failures >= thresholds.Failure => Move(next, HealthStatus.Down, now, Open(HealthStatus.Down)),
            HealthStatus.Up when next.DegradedStreak >= thresholds.Failure => Move(next, HealthStatus.Degraded, now, Open(HealthStatus.Degraded)),
            HealthStatus.Degraded when next.Failures >= thresholds.Failure =>
                Move(next, HealthStatus.Down, now, [new StateEffect.ResolveIncident(), new StateEffect.OpenIncident(HealthStatus.Down)]),
            HealthStatus.Degraded when next.UpStreak >= thresholds.Success => Move(next, HealthStatus.Up, now, [new StateEffect.ResolveIncident()]),
            HealthStatus.Down when next.Successes >= thresholds.Success => Move(next, healthy, now,
                healthy == HealthStatus.Degraded ? [new StateEffect.ResolveIncident(), new StateEffect.OpenIncident(HealthStatus.Degraded)] : [new StateEffect.ResolveIncident()]),
            HealthStatus.Down or HealthStatus.Degraded => (next, [new StateEffect.UpdateIncident()]),
            _ => (next, []),
        };
    }

    private static StateEffect[] Open(HealthStatus kind) => [new StateEffect.OpenIncident(kind)];

    private static (EndpointState, IReadOnlyList<StateEffect>) Move(EndpointState s, HealthStatus status, DateTimeOffset now, StateEffect[] effects) =>
        (s with { Status = status, Since = now }, effects);
}
