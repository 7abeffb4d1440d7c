using System.Diagnostics;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// Where a probe cycle's time goes, step by step: an internal switch (off unless a benchmark turns it on), so the hot path
/// pays one static read per step. Per-probe steps overlap (many probes in flight), so their totals are time in flight,
/// divided by the probes they cover; per-cycle steps are wall time. The benchmark prints them as BENCH profile lines.
/// </summary>
internal static class CycleProfile
{
    private static readonly long[] Ticks = new long[Enum.GetValues<ProfileStep>().Length];
    private static readonly long[] Counts = new long[Ticks.Length];

    /// <summary>Set by the benchmark (<c>--profile true</c>); never by a host.</summary>
    public static bool Enabled { get; set; }

    /// <summary>A start timestamp, or 0 when profiling is off.</summary>
    public static long Start() => Enabled ? Stopwatch.GetTimestamp() : 0;

    public static void Stop(ProfileStep step, long started)
    {
        if (started != 0)
        {
            Interlocked.Add(ref Ticks[(int)step], Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref Counts[(int)step]);
        }
    }

    public static void Reset()
    {
        Array.Clear(Ticks);
        Array.Clear(Counts);
    }

    /// <summary>Each step measured since <see cref="Reset"/>: total milliseconds and how many times it ran.</summary>
    public static IEnumerable<(ProfileStep Step, double TotalMs, long Count)> Steps() =>
        Enum.GetValues<ProfileStep>().Select(s => (s, Interlocked.Read(ref Ticks[(int)s]) * 1000.0 / Stopwatch.Frequency, Interlocked.Read(ref Counts[(int)s])));
}

/// <summary>The measured steps of a cycle (see <see cref="CycleProfile"/>).</summary>
internal enum ProfileStep
{
    Plan,
    ProbeSlotWait,
    ProbeHttp,
    Judge,
    Maintenance,
    ProbeTotal,
    WriteSlotWait,
    StateRead,
    Global,
    Rollups,
    Submit,
    RecordTotal,
    ProbeStep,
    Settle,
    RecordDrain,
    Flush,
    Board,
    PublishGlobal,
    ServiceEvents,
    Dispatch,
    Publish,
    Notify,
    SqliteGroup,
    SqliteCommit,
}
