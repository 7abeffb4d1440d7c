namespace ServerlessMonitor.Hosting;

/// <summary>
/// A timer-triggered function. On Azure Functions the host fires it on the schedule in the app setting
/// named by <see cref="ScheduleSetting"/> (the trigger reads <c>%ScheduleSetting%</c>); standalone, the
/// in-process scheduler fires it on <see cref="Schedule"/>, the same setting's value (six-field NCRONTAB).
/// </summary>
public interface ITimerFunction
{
    string Name { get; }

    /// <summary>The configuration key of the schedule, e.g. <c>Monitor:ProbeSchedule</c>.</summary>
    string ScheduleSetting { get; }

    string Schedule { get; }

    /// <summary>Also run once as soon as the standalone host is ready, rather than waiting for the first tick.</summary>
    bool RunsAtStartup => false;

    /// <summary>
    /// Standalone only: when set, the in-process scheduler fires this often instead of on <see cref="Schedule"/>. Asked before
    /// every wait, so it follows catalog reloads. The Functions host always fires on the schedule.
    /// </summary>
    TimeSpan? Every => null;

    /// <summary>Runs once; returns lines worth logging.</summary>
    Task<IReadOnlyList<string>> RunAsync(bool isPastDue, CancellationToken ct);
}
