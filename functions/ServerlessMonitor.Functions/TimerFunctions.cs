using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Functions;

/// <summary>
/// The timer functions; the Functions host fires them on the schedules in their app settings. RunOnStartup
/// mirrors <see cref="ITimerFunction.RunsAtStartup"/> (an attribute argument must be a constant, so a test
/// holds the two together): the probe timer runs as soon as a host starts, as it does standalone.
/// </summary>
public sealed class TimerFunctions(IEnumerable<ITimerFunction> timers, ILogger<TimerFunctions> logger)
{
    // Running at every host start is cheap: endpoints probed within their interval are not due (ProbeCycle.IsDue).
    [Function("ProbeTimer")]
    public Task ProbeTimer([TimerTrigger("%Monitor:ProbeSchedule%", RunOnStartup = true)] TimerInfo timer, CancellationToken ct) =>
        RunAsync("ProbeTimer", timer, ct);

    [Function("AlertsTimer")]
    public Task AlertsTimer([TimerTrigger("%Alerts:Schedule%")] TimerInfo timer, CancellationToken ct) => RunAsync("AlertsTimer", timer, ct);

    [Function("RetentionTimer")]
    public Task RetentionTimer([TimerTrigger("%Monitor:RetentionSchedule%")] TimerInfo timer, CancellationToken ct) => RunAsync("RetentionTimer", timer, ct);

    private async Task RunAsync(string name, TimerInfo timer, CancellationToken ct)
    {
        if (timer.IsPastDue)
        {
            logger.LogWarning("{Function} is past due", name);
        }
        foreach (var line in await timers.Single(t => t.Name == name).RunAsync(timer.IsPastDue, ct))
        {
            logger.LogInformation("{Function}: {Line}", name, line);
        }
    }
}
