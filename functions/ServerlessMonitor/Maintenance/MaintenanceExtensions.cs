namespace ServerlessMonitor.Maintenance;

public static class MaintenanceExtensions
{
    /// <summary>Maintenance windows: the catalog's and those added through the admin API, stored for every region.</summary>
    public static IHostApplicationBuilder AddMaintenance(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MaintenanceStore>();
        builder.Services.AddSingleton<MaintenanceCalendar>();
        return builder;
    }
}
