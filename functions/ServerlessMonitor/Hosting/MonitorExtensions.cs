using Microsoft.Extensions.DependencyInjection.Extensions;
using NCrontab;
using ServerlessMonitor.Admin;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Web;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Reports;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Hosting;

public static class MonitorExtensions
{
    /// <summary>
    /// The whole monitor, feature by feature in dependency order. Both hosts call this and add only how
    /// they listen and how they fire timers.
    /// </summary>
    public static IHostApplicationBuilder AddMonitor(this IHostApplicationBuilder builder, MonitorHost host)
    {
        builder.Services.AddSingleton(host);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMonitorOptions();
        builder.AddCatalog();
        builder.AddStorage();
        builder.AddAlerts();
        builder.AddProbing();
        builder.AddStatus();
        builder.AddIncidents();
        builder.AddHistory();
        builder.AddReports();
        builder.AddAdmin();
        builder.AddWeb();
        return builder;
    }

    public static IServiceCollection AddMonitorOptions(this IServiceCollection services)
    {
        services.AddOptions<MonitorOptions>().BindConfiguration(MonitorOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => IsValidSchedule(o.ProbeSchedule), $"Monitor:ProbeSchedule {ScheduleHint}")
            .Validate(o => IsValidSchedule(o.RetentionSchedule), $"Monitor:RetentionSchedule {ScheduleHint}")
            .ValidateOnStart();
        return services;
    }

    internal const string ScheduleHint = "must be a six-field NCRONTAB expression with seconds, e.g. '*/30 * * * * *'";

    internal static bool IsValidSchedule(string schedule) =>
        CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is not null;
}
