namespace ServerlessMonitor.Status;

public static class StatusExtensions
{
    public static IHostApplicationBuilder AddStatus(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RegionReader>();
        builder.Services.AddSingleton<StatusBoard>();
        builder.Services.AddSingleton<StatusReader>();
        return builder;
    }
}
