using System.Globalization;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Notifications;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// Which service-level events the public hears about, and their words. Only service-level events: one message per
/// service incident however many endpoints fail, never the per-endpoint ones.
/// </summary>
public static class SubscriberMessages
{
    // The events other features raise (operator timeline, maintenance announcements) that subscribers get.
    public const string ServiceUpdate = AlertTypes.ServiceUpdate;
    public const string MaintenanceScheduled = AlertTypes.ServiceMaintenanceScheduled;
    public const string MaintenanceStarted = AlertTypes.ServiceMaintenanceStarted;
    public const string MaintenanceEnded = AlertTypes.ServiceMaintenanceEnded;

    public static readonly IReadOnlySet<string> WantedTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        AlertTypes.ServiceDown, AlertTypes.ServiceDegraded, AlertTypes.ServiceRecovered,
        ServiceUpdate, MaintenanceScheduled, MaintenanceStarted, MaintenanceEnded,
    };

    public static bool IsWanted(AlertEvent alert) => WantedTypes.Contains(alert.Type) && !string.IsNullOrEmpty(alert.Data.Service);

    /// <summary>The message for a wanted event; null for any other.</summary>
    public static SubscriberMessage? Build(AlertEvent alert)
    {
        if (!IsWanted(alert))
        {
            return null;
        }
        var d = alert.Data;
        var name = d.ServiceName ?? d.Service!;
        var (title, text) = alert.Type switch
        {
            AlertTypes.ServiceDown => ($"{name} is down", Since(d)),
            AlertTypes.ServiceDegraded => ($"{name} is degraded", Since(d)),
            AlertTypes.ServiceRecovered => ($"{name} is back after {MessageRenderer.Duration(d.DurationSeconds)}",
                d.Start is { } s ? $"{name} was down from {Clock(s)} to {Clock(d.End ?? alert.Time)}." : $"{name} is back."),
            ServiceUpdate => ($"{name}: {d.Status}", d.Message ?? d.Status),
            MaintenanceScheduled => ($"Planned maintenance of {name}", d.Message ?? Window(d)),
            MaintenanceStarted => ($"Maintenance of {name} has started", d.Message ?? Window(d)),
            _ => ($"Maintenance of {name} has ended", d.Message ?? $"{name} is out of maintenance."),
        };
        return new SubscriberMessage(alert.Id, alert.Type, d.Service!, name, title, text, d.StatusPageUrl, alert.Time, alert);
    }

    /// <summary>"since 14:02 UTC, likely cause: server errors"</summary>
    private static string Since(AlertData d)
    {
        var since = d.Start is { } start ? $"since {Clock(start)}" : "now";
        return d.LikelyCause is { } cause ? $"{since}, likely cause: {MessageRenderer.CauseLabel(cause)}" : since;
    }

    private static string Window(AlertData d) => d.Start is { } s
        ? d.End is { } e ? $"{s.ToString("ddd HH:mm", CultureInfo.InvariantCulture)}–{Clock(e)}" : $"from {Clock(s)}"
        : "";

    private static string Clock(DateTimeOffset t) => t.ToUniversalTime().ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
