namespace ServerlessMonitor.Notifications;

/// <summary>
/// One provider's wire format and transport (Slack, Teams, … each a class). Throws
/// <see cref="Alerts.AlertDeliveryException"/> with the provider's answer (secrets scrubbed) when it did not accept.
/// </summary>
public interface IChannelSender
{
    /// <summary>For people: the provider and where it sends, without keys, tokens or webhook paths.</summary>
    string Display { get; }

    Task SendAsync(NotificationMessage message, CancellationToken ct);
}
