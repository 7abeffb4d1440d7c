using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Probing;

public static class ProbingExtensions
{
    public static IHostApplicationBuilder AddProbing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProbers();
        return builder;
    }
}
