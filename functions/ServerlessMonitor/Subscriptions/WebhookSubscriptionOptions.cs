using System.ComponentModel.DataAnnotations;

namespace ServerlessMonitor.Subscriptions;

/// <summary>The webhook part of the <c>Subscriptions</c> section (docs/SUBSCRIPTIONS.md, "Webhooks").</summary>
public sealed class WebhookSubscriptionOptions
{
    public const string Section = "Subscriptions";

    /// <summary>How long one request to a receiver (the challenge or one event) may take, connection included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:30")]
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
