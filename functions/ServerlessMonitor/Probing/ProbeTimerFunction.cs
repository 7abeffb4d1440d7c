using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Probing;

/// <summary>The ProbeTimer function: one probe cycle.</summary>
internal sealed class ProbeTimerFunction(ProbeCycle cycle, IOptions<MonitorOptions> options) : ITimerFunction
{
    public string Name => "ProbeTimer";

    public string Schedule => options.Value.ProbeSchedule;

    public async Task<IReadOnlyList<string>> RunAsync(bool isPastDue, CancellationToken ct)
    {
        var report = await cycle.RunAsync(ct);
        return [report.ToString()];
    }
}
