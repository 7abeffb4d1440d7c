namespace ServerlessMonitor.Incidents;

public static class IncidentsExtensions
{
    public static IHostApplicationBuilder AddIncidents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IncidentReader>();
        return builder;
    }
}
