using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.SelfCheck;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// The cycle's sequence, written once (STYLE.md rule 17): probe → settle → record → publish → notify. A cycle in process
/// runs all of it over its shards; a shard from the queue runs probe → record → publish (ProbeTimer judged its location
/// before queuing it, FanOutSelfCheck, and its last shard notifies, ProbeShardFunction).
/// </summary>
public sealed class CycleSequence(ShardProbing probing, SelfCheckSettler settler, CyclePublisher publisher, IEnumerable<ICycleListener> listeners)
{
    /// <summary>
    /// Runs the steps for <paramref name="run"/>. With problems (in process) each step's failure is logged and the steps
    /// after it still run, so what was recorded is published and the snapshot rebuilt. Without (a queued shard) a failure
    /// is thrown so the host retries; a failed write only after what was recorded is published.
    /// </summary>
    internal async Task<SequenceOutcome> RunAsync(SequenceRun run, CancellationToken ct)
    {
        var (shards, catalog, slot, gate, problems) = run;
        var recording = new Recording();
        var step = CycleProfile.Start();
        await probing.ProbeAsync(shards, catalog, gate, recording, problems, ct);
        CycleProfile.Stop(ProfileStep.ProbeStep, step);
        step = CycleProfile.Start();
        var verdict = run.Settle ? await CycleSteps.RunAsync(problems, "self-check", () => settler.SettleAsync(gate, recording, ct), ct) : null;
        CycleProfile.Stop(ProfileStep.Settle, step);
        step = CycleProfile.Start();
        var (recorded, failure) = await recording.ResultAsync();
        CycleProfile.Stop(ProfileStep.RecordDrain, step);
        if (failure is not null && problems is not null)
        {
            problems.Add("recording", failure.SourceException);
            failure = null;
        }
        step = CycleProfile.Start();
        var delivery = await CycleSteps.RunAsync(problems, "publish", () => publisher.PublishAsync(recorded, slot, ct), ct);
        CycleProfile.Stop(ProfileStep.Publish, step);
        if (run.Notify)
        {
            step = CycleProfile.Start();
            await CycleSteps.RunAsync(problems, "notify", async () => { await NotifyAsync(ct); return true; }, ct);
            CycleProfile.Stop(ProfileStep.Notify, step);
        }
        failure?.Throw();
        return new SequenceOutcome(recorded, delivery, verdict);
    }

    /// <summary>Tells the listeners (the read snapshot) that a cycle's results are all recorded.</summary>
    public async Task NotifyAsync(CancellationToken ct)
    {
        foreach (var listener in listeners)
        {
            await listener.CycleCompletedAsync(ct);
        }
    }
}

/// <summary>What a sequence runs over: shards of one slot through one gate; problems only for a cycle in process.</summary>
internal sealed record SequenceRun(IReadOnlyList<ProbeShard> Shards, MonitorCatalog Catalog, DateTimeOffset Slot, CycleGate Gate, CycleProblems? Problems)
{
    /// <summary>Whether the self-check judges the gate's probes at the end (a cycle in process).</summary>
    public bool Settle { get; init; }

    /// <summary>Whether the listeners are told the cycle is recorded (a cycle in process; a queued cycle's last shard tells them).</summary>
    public bool Notify { get; init; }
}

internal sealed record SequenceOutcome(IReadOnlyList<RecordedProbe> Recorded, DispatchReport? Delivery, SelfCheckVerdict? Verdict);

/// <summary>One step of a sequence: tried and logged with <see cref="CycleProblems"/> when there are any, run as it is when not.</summary>
internal static class CycleSteps
{
    public static async Task<T?> RunAsync<T>(CycleProblems? problems, string step, Func<Task<T>> run, CancellationToken ct) =>
        problems is null ? await run() : await problems.TryAsync(step, run, ct);
}
