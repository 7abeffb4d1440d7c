namespace ServerlessMonitor.Notifications;

/// <summary>The providers a channel can speak to (the <c>type</c> setting).</summary>
public enum ChannelKind
{
    Slack,
    Teams,
    Discord,
    Telegram,
    Email,
    Ntfy,
    PagerDuty,
    Opsgenie,
}

/// <summary>The routing names of <c>events</c>: what a channel can subscribe to.</summary>
public enum NotifyEvent
{
    Down,
    Recovered,
    Degraded,
    Flapping,
    Maintenance,
    Certificate,
    Monitor,
    /// <summary>Operator updates on an incident (Service.Update).</summary>
    Update,
}
