using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMonitor.Admin;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Maintenance;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Push;
using ServerlessMonitor.Reports;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.SelfCheck;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Subscriptions.Email;
using ServerlessMonitor.Telemetry;
using ServerlessMonitor.Web;

namespace ServerlessMonitor;

public static class MonitorExtensions
{
    /// <summary>
    /// The whole monitor, feature by feature in dependency order: the table of contents of the library.
    /// Both hosts call this and add only how they listen and how they fire timers.
    /// </summary>
    public static IHostApplicationBuilder AddMonitor(this IHostApplicationBuilder builder, MonitorHost host)
    {
        builder.Services.AddSingleton(host);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMonitorOptions();
        builder.AddTelemetry(host);
        builder.AddCatalog();
        builder.AddStorage();
        builder.AddAlerts();
        builder.AddNotifications();
        builder.AddSubscriptions();
        builder.AddMaintenance();
        builder.AddProbing();
        builder.AddSelfCheck();
        builder.AddStatus();
        builder.AddIncidents();
        builder.AddHistory();
        builder.AddCycle(host);
        builder.AddPush();
        builder.AddReports();
        builder.AddAdmin();
        builder.AddEmailSubscriptions();
        builder.AddWebhookSubscriptions();
        builder.AddWeb();
        return builder;
    }

    public static IServiceCollection AddMonitorOptions(this IServiceCollection services)
    {
        services.AddOptions<MonitorOptions>().BindConfiguration(MonitorOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => TimerSchedule.IsValid(o.ProbeSchedule), $"Monitor:ProbeSchedule {TimerSchedule.Hint}")
            .Validate(o => TimerSchedule.IsValid(o.RetentionSchedule), $"Monitor:RetentionSchedule {TimerSchedule.Hint}")
            .ValidateOnStart();
        return services;
    }
}
