using System.Globalization;
using System.Text;
using ServerlessMonitor.Cycle;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// <c>--profile true</c> on a probe_cycle run: where the measured cycles' time went (<see cref="CycleProfile"/>), as one BENCH
/// line of per-probe steps (milliseconds in flight per probe) and one of per-cycle steps (milliseconds per cycle), with the
/// garbage collections, lock contentions and thread-pool work items of the measured cycles.
/// </summary>
internal sealed class CycleProfileReport
{
    private static readonly ProfileStep[] PerProbe =
    [
        ProfileStep.ProbeSlotWait, ProfileStep.ProbeHttp, ProfileStep.Judge, ProfileStep.Maintenance, ProfileStep.ProbeTotal,
        ProfileStep.WriteSlotWait, ProfileStep.StateRead, ProfileStep.Global, ProfileStep.Rollups, ProfileStep.Submit, ProfileStep.RecordTotal,
    ];

    private readonly int[] _gcs = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly long _contention = Monitor.LockContentionCount;
    private readonly long _workItems = ThreadPool.CompletedWorkItemCount;
    private readonly long _allocated = GC.GetTotalAllocatedBytes();

    public static CycleProfileReport? Begin(bool enabled)
    {
        CycleProfile.Enabled = enabled;
        CycleProfile.Reset();
        return enabled ? new CycleProfileReport() : null;
    }

    public void Print(int endpoints, int probed, int cycles, string backend)
    {
        CycleProfile.Enabled = false;
        var steps = CycleProfile.Steps().ToDictionary(s => s.Step);
        var probe = new StringBuilder(FormattableString.Invariant($"BENCH cycle_profile_probe endpoints={endpoints} backend={backend} unit=ms_per_probe"));
        var cycle = new StringBuilder(FormattableString.Invariant($"BENCH cycle_profile_cycle endpoints={endpoints} backend={backend} unit=ms_per_cycle"));
        foreach (var (step, totalMs, count) in steps.Values)
        {
            var name = step.ToString().ToLowerInvariant();
            if (PerProbe.Contains(step))
            {
                probe.Append(CultureInfo.InvariantCulture, $" {name}={totalMs / Math.Max(1, probed):F3}");
            }
            else
            {
                cycle.Append(CultureInfo.InvariantCulture, $" {name}={totalMs / cycles:F2}");
                if (step is ProfileStep.SqliteGroup or ProfileStep.SqliteCommit)
                {
                    cycle.Append(CultureInfo.InvariantCulture, $" {name}_n={count / (double)cycles:F1}");
                }
            }
        }
        probe.Append(CultureInfo.InvariantCulture,
            $" alloc_kb_per_probe={(GC.GetTotalAllocatedBytes() - _allocated) / 1024.0 / Math.Max(1, probed):F1} work_items_per_probe={(ThreadPool.CompletedWorkItemCount - _workItems) / (double)Math.Max(1, probed):F1}");
        cycle.Append(CultureInfo.InvariantCulture,
            $" gc0={GC.CollectionCount(0) - _gcs[0]} gc1={GC.CollectionCount(1) - _gcs[1]} gc2={GC.CollectionCount(2) - _gcs[2]} lock_contentions={Monitor.LockContentionCount - _contention}");
        Console.WriteLine(probe);
        Console.WriteLine(cycle);
    }
}
