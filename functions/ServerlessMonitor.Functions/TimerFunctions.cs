using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Functions;

/// <summary>
/// The timer functions; the Functions host fires them on the schedules in their app settings, once per tick across
/// all instances. None runs on start-up, unlike the standalone scheduler (one process, <see cref="ITimerFunction.RunsAtStartup"/>):
/// on Azure RunOnStartup fires on every host start, each scale-out instance included (Microsoft's timer trigger
/// documentation: "should rarely if ever be set to true, especially in production"), and a new instance would plan
/// the cycle again while its shards are still queued, probing those endpoints twice.
/// </summary>
public sealed class TimerFunctions(IEnumerable<ITimerFunction> timers, ILogger<TimerFunctions> logger)
{
    [Function("ProbeTimer")]
    public Task ProbeTimer([TimerTrigger("%Monitor:ProbeSchedule%")] TimerInfo timer, CancellationToken ct) =>
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
