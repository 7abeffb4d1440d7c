using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Alerts;

/// <summary>
/// The AlertsTimer function: every minute, re-dispatches outbox rows whose retry time has come.
/// ProbeTimer dispatches fresh alerts right away; this sweep catches failures and crashed runs. Events due by the clock
/// (<see cref="IClockEvents"/>) are written first, so the same sweep delivers them.
/// </summary>
internal sealed class AlertsTimerFunction(OutboxDispatcher dispatcher, IEnumerable<IClockEvents> clockEvents, IOptions<AlertsOptions> options,
    ILogger<AlertsTimerFunction> logger) : ITimerFunction
{
    public const string FunctionName = "AlertsTimer";

    public string Name => FunctionName;

    public string ScheduleSetting => $"{AlertsOptions.Section}:{nameof(AlertsOptions.Schedule)}";

    public string Schedule => options.Value.Schedule;

    public async Task<IReadOnlyList<string>> RunAsync(bool isPastDue, CancellationToken ct)
    {
        var lines = new List<string>();
        foreach (var source in clockEvents)
        {
            try
            {
                if (await source.WriteDueAsync(ct) is { } line)
                {
                    lines.Add(line);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One source's failure must not stop the sweep: it runs again next minute, and its events are written then.
                logger.LogError(e, "{Source} could not write its due events; the next sweep tries again", source.GetType().Name);
            }
        }
        var report = await dispatcher.DispatchPendingAsync(ct);
        lines.Add(report.ToString());
        return lines;
    }
}
