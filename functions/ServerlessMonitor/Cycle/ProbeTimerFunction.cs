using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Cycle;

/// <summary>The ProbeTimer function: one probe cycle.</summary>
internal sealed class ProbeTimerFunction(ProbeCycle cycle, IOptions<MonitorOptions> options, CatalogProvider catalog, ProbeCadence cadence) : ITimerFunction
{
    public string Name => "ProbeTimer";

    public string ScheduleSetting => $"{MonitorOptions.Section}:{nameof(MonitorOptions.ProbeSchedule)}";

    public string Schedule => options.Value.ProbeSchedule;

    // A new user should see statuses at once, not "unknown" until the next tick.
    public bool RunsAtStartup => true;

    // Standalone honours intervals shorter than the schedule's period by ticking as often as the catalog needs.
    public TimeSpan? Every => cadence.StandaloneTick(catalog.Current);

    public async Task<IReadOnlyList<string>> RunAsync(bool isPastDue, CancellationToken ct)
    {
        var report = await cycle.RunAsync(ct);
        return [report.ToString()];
    }
}
