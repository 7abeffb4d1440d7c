using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Rollups;

public static class RollupsExtensions
{
    public static IHostApplicationBuilder AddHistory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(MonitorOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<HistoryReader>();
        builder.Services.AddSingleton<ServiceFigures>();
        builder.Services.AddSingleton<RollupReader>();
        builder.Services.AddSingleton<DailyHistory>();
        builder.Services.AddSingleton<RollupWriter>();
        builder.Services.AddSingleton<LiveRollups>();
        builder.Services.AddSingleton<RecentRollups>();
        builder.Services.AddSingleton<ITimerFunction, RetentionTimerFunction>();
        return builder;
    }
}
