namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// One way the public can be told about a service (web push, email, webhook). Registered in DI as
/// <c>IEnumerable&lt;ISubscriberChannel&gt;</c>; the core delivers each subscriber message to every subscription of a
/// kind that has a channel, at least once, and never again once a channel accepted it.
/// </summary>
public interface ISubscriberChannel
{
    /// <summary>The <see cref="Subscription.Kind"/> this channel sends to ("push", "email", "webhook").</summary>
    string Kind { get; }

    /// <summary>
    /// Sends one message to one subscriber. Must not log <see cref="Subscription.Address"/>. An unexpected exception
    /// counts as <see cref="SubscriberSendResult.RetryLater"/>.
    /// </summary>
    Task<SubscriberSendResult> SendAsync(SubscriberMessage message, Subscription subscription, CancellationToken ct);
}

public enum SubscriberSendResult
{
    /// <summary>The receiver took it: never sent again.</summary>
    Accepted,

    /// <summary>The subscription no longer exists at the receiver (push 404/410, email hard bounce): it is removed.</summary>
    Gone,

    /// <summary>Try again later, with backoff; repeated failures disable the subscription.</summary>
    RetryLater,
}

/// <summary>
/// What subscribers of a service are told, built once per service-level event by <see cref="SubscriberMessages"/>.
/// <paramref name="EventId"/> is the outbox event's stable id; <see cref="SubscriberDeliveryIds.For"/> gives the
/// stable id of its delivery to one subscription. <paramref name="Event"/> is the CloudEvent it was built from, for channels
/// that send the event itself (webhooks).
/// </summary>
public sealed record SubscriberMessage(string EventId, string Type, string Service, string ServiceName, string Title, string Text, string? Link,
    DateTimeOffset Time, Alerts.AlertEvent? Event = null);

/// <summary>One public subscription (only confirmed ones are stored). <see cref="Address"/> is never logged nor shown.</summary>
public sealed record Subscription(string Id, string Kind, string Service, string Address, DateTimeOffset Created, int Failures, bool Disabled = false);

/// <summary>The subscription kinds the core knows; a kind is delivered only when a channel for it is registered.</summary>
public static class SubscriptionKinds
{
    public const string Push = "push";
    public const string Email = "email";
    public const string Webhook = "webhook";

    /// <summary>A subscription for every service of the catalog.</summary>
    public const string AllServices = "*";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Push, Email, Webhook };
}

/// <summary>The stable id of one delivery: the same event to the same subscription always has the same id (receivers de-duplicate on it).</summary>
public static class SubscriberDeliveryIds
{
    public static string For(string eventId, string subscriptionId) => Alerts.AlertEvents.StableId($"{eventId}|{subscriptionId}");
}
