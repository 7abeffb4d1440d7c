using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Probing;

public static class ProbingExtensions
{
    public static IHostApplicationBuilder AddProbing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProbers();
        builder.Services.AddSingleton<ProbeCycle>();
        builder.Services.AddSingleton<ITimerFunction, ProbeTimerFunction>();
        return builder;
    }
}
