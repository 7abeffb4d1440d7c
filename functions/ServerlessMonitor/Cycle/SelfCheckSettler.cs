using ServerlessMonitor.SelfCheck;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// The settle step: the monitor self-check over everything a gate saw; the probes it held back are recorded unless this
/// location turned out to be offline, in which case they say nothing about their targets and are dropped.
/// </summary>
public sealed class SelfCheckSettler(SelfCheckService selfCheck, ProbeWriter writer)
{
    /// <summary>A self-check gate for one judged set of probes: a cycle in process.</summary>
    public CycleGate NewGate() => new(selfCheck.IsEnabled);

    public async Task<SelfCheckVerdict> SettleAsync(CycleGate gate, Recording recording, CancellationToken ct)
    {
        var verdict = await selfCheck.AssessAsync(gate.Probes, ct);
        var held = gate.TakeHeld();
        if (!verdict.Offline)
        {
            foreach (var probed in held)
            {
                recording.Add(writer.RecordAsync(probed, oncePerSlot: true, ct));
            }
        }
        return verdict;
    }
}
