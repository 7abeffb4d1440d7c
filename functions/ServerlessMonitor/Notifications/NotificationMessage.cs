using System.Globalization;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Incidents;

namespace ServerlessMonitor.Notifications;

/// <summary>How bad a message is; providers map it to their colour / priority / severity.</summary>
public enum Severity
{
    Critical,
    Warning,
    Info,
    Resolved,
}

/// <summary>
/// One message for people, provider-neutral: a title ("TikTok is down"), one sentence that says it all, labelled
/// facts, a link. <see cref="DedupKey"/> is the incident id (PagerDuty dedup_key, Opsgenie alias);
/// <see cref="Resolves"/> marks the recovery that closes it.
/// </summary>
public sealed record NotificationMessage(string Title, string Text, IReadOnlyList<(string Label, string Value)> Facts, string? Link,
    Severity Severity, NotifyEvent Event, string DedupKey, bool Resolves, string Source, DateTimeOffset Time);

/// <summary>Renders alerts as <see cref="NotificationMessage"/>s: the wording every channel shares.</summary>
public static class MessageRenderer
{
    /// <summary>The routing event of an alert type; null for the types channels leave to Event Grid and webhooks (per-endpoint ones).</summary>
    public static NotifyEvent? EventOf(string type) => type switch
    {
        AlertTypes.ServiceDown or AlertTypes.ServiceStillDown => NotifyEvent.Down,
        AlertTypes.ServiceRecovered => NotifyEvent.Recovered,
        AlertTypes.ServiceDegraded => NotifyEvent.Degraded,
        AlertTypes.EndpointFlapping => NotifyEvent.Flapping,
        AlertTypes.CertificateExpiring => NotifyEvent.Certificate,
        AlertTypes.MonitorOffline or AlertTypes.MonitorOnline => NotifyEvent.Monitor,
        AlertTypes.ServiceUpdate => NotifyEvent.Update,
        AlertTypes.ServiceMaintenanceScheduled or AlertTypes.ServiceMaintenanceStarted or AlertTypes.ServiceMaintenanceEnded => NotifyEvent.Maintenance,
        _ => null,
    };

    public static NotificationMessage Render(AlertEvent alert)
    {
        var d = alert.Data;
        var name = d.ServiceName ?? d.Service ?? "the monitor";
        var ev = EventOf(alert.Type) ?? throw new ArgumentException($"{alert.Type} is not a notification event", nameof(alert));
        var (title, severity) = alert.Type switch
        {
            AlertTypes.ServiceDown => ($"{name} is down", Severity.Critical),
            AlertTypes.ServiceDegraded => ($"{name} is degraded", Severity.Warning),
            AlertTypes.ServiceStillDown => ($"{name} is still down after {Duration(d.DurationSeconds)} (reminder {d.Reminder})", Severity.Critical),
            AlertTypes.ServiceRecovered => ($"{name} is back after {Duration(d.DurationSeconds)}", Severity.Resolved),
            AlertTypes.EndpointFlapping => ($"{name} {d.Endpoint} is flapping", Severity.Warning),
            AlertTypes.CertificateExpiring => ($"{name} {d.Endpoint}: certificate expires {d.CertificateExpiry:yyyy-MM-dd}", Severity.Warning),
            AlertTypes.MonitorOffline => ($"Monitor offline in {d.Region}", Severity.Warning),
            AlertTypes.ServiceUpdate => ($"{name}: {d.Status}", d.Status == "resolved" ? Severity.Resolved : Severity.Info),
            AlertTypes.ServiceMaintenanceScheduled => ($"Planned maintenance of {name}", Severity.Info),
            AlertTypes.ServiceMaintenanceStarted => ($"{name}: planned maintenance started", Severity.Info),
            AlertTypes.ServiceMaintenanceEnded => ($"{name}: planned maintenance ended", Severity.Info),
            _ => ($"Monitor online again in {d.Region}", Severity.Resolved),
        };
        var dedup = alert.Type is AlertTypes.ServiceDown or AlertTypes.ServiceDegraded or AlertTypes.ServiceRecovered or AlertTypes.ServiceStillDown
            && d.IncidentId is { } id
            ? id : alert.Id;
        // An operator's update is news, not a state of the alert: it never resolves a PagerDuty/Opsgenie incident.
        return new NotificationMessage(title, Sentence(alert, title), Facts(d, ev), d.StatusPageUrl ?? d.Url, severity, ev, dedup,
            alert.Type is AlertTypes.ServiceRecovered or AlertTypes.MonitorOnline, alert.Source, alert.Time);
    }

    private static string Sentence(AlertEvent alert, string title)
    {
        var d = alert.Data;
        if (EventOf(alert.Type) == NotifyEvent.Maintenance && d.Message is { } sentence)
        {
            return sentence; // "Planned maintenance Tue 02:00–03:00 UTC for TikTok"
        }
        if (alert.Type is not (AlertTypes.ServiceDown or AlertTypes.ServiceDegraded or AlertTypes.ServiceStillDown))
        {
            return d.Message is { } m ? $"{title}: {m}" : title;
        }
        var parts = new List<string> { d.Regions is { Count: > 0 } r ? $"{title} in {string.Join(", ", r)}" : title };
        if (d.LikelyCause is { } cause)
        {
            parts.Add($"likely cause: {CauseLabel(cause)}");
        }
        if (d.Endpoints is { Count: > 0 } eps)
        {
            var of = d.EndpointCount is { } n && n > eps.Count ? $" ({eps.Count} of {n} endpoints)" : "";
            parts.Add($"{string.Join(", ", eps)} failing since {d.Start:HH:mm} UTC{of}");
        }
        if (d.Dependants is { Count: > 0 } dependants)
        {
            parts.Add($"also affected: {string.Join(", ", dependants)}");
        }
        return string.Join(" — ", parts);
    }

    private static List<(string, string)> Facts(AlertData d, NotifyEvent ev)
    {
        var facts = new List<(string, string)>();
        void Add(string label, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                facts.Add((label, value));
            }
        }
        Add("Endpoints", d.Endpoints is { Count: > 0 } e ? string.Join(", ", e) : d.Endpoint);
        Add("Likely cause", d.LikelyCause is { } c ? CauseLabel(c) : null);
        Add("Also affected", d.Dependants is { Count: > 0 } deps ? string.Join(", ", deps) : null);
        Add("Regions", d.Regions is { Count: > 0 } r ? string.Join(", ", r) : d.Region);
        if (ev == NotifyEvent.Maintenance)
        {
            Add("Window", FormattableString.Invariant($"{d.Start:yyyy-MM-dd HH:mm}–{d.End:yyyy-MM-dd HH:mm} UTC"));
        }
        else
        {
            Add("Since", d.Start?.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        }
        Add("Last error", d.LastError);
        return facts;
    }

    /// <summary>The words of <see cref="LikelyCause"/>'s codes (a dependency cause is already a sentence).</summary>
    public static string CauseLabel(string cause) => cause switch
    {
        LikelyCause.Dns => "DNS failure",
        LikelyCause.Network => "network/connection failure",
        LikelyCause.Tls => "TLS/certificate problem",
        LikelyCause.ServerError => "server errors",
        LikelyCause.Overload => "overload / high traffic",
        LikelyCause.Maintenance => "planned maintenance",
        LikelyCause.Content => "content check failed",
        _ => cause,
    };

    public static string Duration(double? seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, seconds ?? 0));
        return t.TotalMinutes < 1 ? $"{t.TotalSeconds:F0} s"
            : t.TotalHours < 1 ? $"{(int)t.TotalMinutes} min"
            : t.TotalDays < 1 ? $"{(int)t.TotalHours} h {t.Minutes} min"
            : $"{(int)t.TotalDays} d {t.Hours} h";
    }
}
