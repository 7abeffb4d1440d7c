using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Cycle;

public static class CycleExtensions
{
    /// <summary>The probe cycle (probe, record, alert) and the ProbeTimer function that runs it.</summary>
    public static IHostApplicationBuilder AddCycle(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EndpointRecorder>();
        builder.Services.AddSingleton<ProbeCycle>();
        builder.Services.AddSingleton<ITimerFunction, ProbeTimerFunction>();
        return builder;
    }
}
