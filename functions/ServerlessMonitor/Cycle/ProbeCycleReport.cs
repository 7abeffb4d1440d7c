using ServerlessMonitor.Alerts;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Incidents;

namespace ServerlessMonitor.Cycle;

public sealed record ProbeCycleReport(bool Ran, int Endpoints, int Probed, int Up, int Degraded, int Down, TimeSpan Elapsed, DispatchReport? Alerts)
{
    public static readonly ProbeCycleReport Skipped = new(false, 0, 0, 0, 0, 0, TimeSpan.Zero, null);

    /// <summary>Shards handed to the queue; their probes are counted by the ProbeShard runs.</summary>
    public int QueuedShards { get; init; }

    public static ProbeCycleReport Queued(int endpoints, int due, int shards, TimeSpan elapsed) =>
        new(true, endpoints, 0, 0, 0, 0, elapsed, null) { QueuedShards = shards, Due = due };

    public int Due { get; init; }

    /// <summary>What went wrong in the cycle's steps (logged as they happened); empty when it ran through.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>A cycle that could not even be planned; the next tick runs as usual.</summary>
    public static ProbeCycleReport Failed(string reason) =>
        new(true, 0, 0, 0, 0, 0, TimeSpan.Zero, null) { Problems = [reason], CouldNotRun = true };

    public bool CouldNotRun { get; init; }

    /// <summary>The self-check found this location offline: the cycle's failures were not recorded.</summary>
    public bool LocationOffline { get; init; }

    public static ProbeCycleReport From(int endpoints, int due, IReadOnlyList<RecordedProbe> recorded, TimeSpan elapsed, DispatchReport? alerts) =>
        new(true, endpoints, recorded.Count,
            recorded.Count(r => r.Observation.Outcome == ProbeOutcome.Up),
            recorded.Count(r => r.Observation.Outcome == ProbeOutcome.Degraded),
            recorded.Count(r => r.Observation.Outcome == ProbeOutcome.Down),
            elapsed, alerts)
        { Due = due };

    public override string ToString() => Describe() + (Problems.Count == 0 || CouldNotRun
        ? ""
        : $"; incomplete: {Problems.Count} problem(s), first: {Problems[0]}");

    private string Describe() => !Ran
        ? "probe cycle skipped: the previous cycle is still running"
        : CouldNotRun
            ? $"probe cycle failed: {Problems[0]}; the next tick runs as usual"
        : LocationOffline
            ? $"probe cycle: {Due} of {Endpoints} endpoints probed, {Probed} recorded: this location is offline (monitor self-check); {Elapsed.TotalMilliseconds:F0} ms"
        : QueuedShards > 0
            ? $"probe cycle: {Due} of {Endpoints} endpoints due, queued as {QueuedShards} shards; {Elapsed.TotalMilliseconds:F0} ms"
            : $"probe cycle: {Probed} of {Endpoints} endpoints due; {Up} up, {Degraded} degraded, {Down} down; {Elapsed.TotalMilliseconds:F0} ms"
              + (Alerts is { } a ? $"; {a}" : "");
}
