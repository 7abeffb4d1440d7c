using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Alerts;

/// <summary>
/// The AlertsTimer function: every minute, re-dispatches outbox rows whose retry time has come.
/// ProbeTimer dispatches fresh alerts right away; this sweep catches failures and crashed runs.
/// </summary>
internal sealed class AlertsTimerFunction(OutboxDispatcher dispatcher, IOptions<AlertsOptions> options) : ITimerFunction
{
    public const string FunctionName = "AlertsTimer";

    public string Name => FunctionName;

    public string ScheduleSetting => $"{AlertsOptions.Section}:{nameof(AlertsOptions.Schedule)}";

    public string Schedule => options.Value.Schedule;

    public async Task<IReadOnlyList<string>> RunAsync(bool isPastDue, CancellationToken ct)
    {
        var report = await dispatcher.DispatchPendingAsync(ct);
        return [report.ToString()];
    }
}
