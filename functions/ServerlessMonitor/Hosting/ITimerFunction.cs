namespace ServerlessMonitor.Hosting;

/// <summary>
/// A timer-triggered function. Hosted, the Functions host POSTs /{Name}; standalone, the
/// <see cref="TimerScheduler"/> fires it on <see cref="Schedule"/> (six-field NCRONTAB).
/// </summary>
public interface ITimerFunction
{
    string Name { get; }

    string Schedule { get; }

    /// <summary>Runs once; returns log lines for the invocation response.</summary>
    Task<IReadOnlyList<string>> RunAsync(bool isPastDue, CancellationToken ct);
}
