namespace ServerlessMonitor.Incidents;

public static class IncidentsExtensions
{
    public static IHostApplicationBuilder AddIncidents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FlappingOptions>().BindConfiguration(FlappingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IncidentReader>();
        builder.Services.AddSingleton<ServiceStatusAlerts>();
        return builder;
    }
}
