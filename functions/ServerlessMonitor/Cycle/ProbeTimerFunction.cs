using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Cycle;

/// <summary>The ProbeTimer function: one probe cycle.</summary>
internal sealed class ProbeTimerFunction(ProbeCycle cycle, IOptions<MonitorOptions> options) : ITimerFunction
{
    public string Name => "ProbeTimer";

    public string ScheduleSetting => $"{MonitorOptions.Section}:{nameof(MonitorOptions.ProbeSchedule)}";

    public string Schedule => options.Value.ProbeSchedule;

    // A new user should see statuses at once, not "unknown" until the next tick.
    public bool RunsAtStartup => true;

    public async Task<IReadOnlyList<string>> RunAsync(bool isPastDue, CancellationToken ct)
    {
        var report = await cycle.RunAsync(ct);
        return [report.ToString()];
    }
}
