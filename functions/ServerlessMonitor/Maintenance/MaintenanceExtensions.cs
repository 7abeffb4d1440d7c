using ServerlessMonitor.Alerts;

namespace ServerlessMonitor.Maintenance;

public static class MaintenanceExtensions
{
    /// <summary>
    /// Maintenance windows: the catalog's and those added through the admin API, stored for every region; their announcements
    /// (scheduled, started, ended), written by the AlertsTimer's sweep. Needs the storage and alerts features.
    /// </summary>
    public static IHostApplicationBuilder AddMaintenance(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MaintenanceOptions>().BindConfiguration(MaintenanceOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<MaintenanceStore>();
        builder.Services.AddSingleton<MaintenanceCalendar>();
        builder.Services.AddSingleton<IClockEvents, MaintenanceEvents>();
        return builder;
    }
}
