using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// The SubscriberDeliveries table, in one place: one partition per event being fanned out (its stable id), a
/// <c>fanout</c> row saying how far it got, and one <c>d-{subscription id}</c> row per subscriber with its attempts
/// and outcome. Once every delivery has an outcome the marker says done and the delivery rows are deleted; the marker
/// stays, so a repeated dispatch of a finished event sends nothing.
/// </summary>
internal static class DeliveryRows
{
    public const string MarkerKey = "fanout";
    public const string StateProperty = "State";
    public const string TotalProperty = "Total";
    public const string ServiceProperty = "Service";
    public const string AttemptsProperty = "Attempts";
    public const string NextAttemptAtProperty = "NextAttemptAt";
    public const string OutcomeProperty = "Outcome";

    /// <summary>Marker states: every subscriber has a row and sending goes on; every delivery has an outcome.</summary>
    public const string Sending = "sending";
    public const string Done = "done";

    /// <summary>Outcomes of one delivery; none = still to send.</summary>
    public const string Accepted = "accepted";
    public const string Gone = "gone";
    public const string Failed = "failed";
    public const string Skipped = "skipped";

    private const string DeliveryPrefix = "d-";

    public static readonly RowKeyRange Deliveries = RowKeyRange.Prefix(DeliveryPrefix);

    public static string DeliveryKey(string subscriptionId) => DeliveryPrefix + subscriptionId;

    public static string SubscriptionIdOf(string deliveryKey) => deliveryKey[DeliveryPrefix.Length..];

    public static TableEntity Marker(string eventId, string state, int total) => new(eventId, MarkerKey, new Dictionary<string, object?>
    {
        [StateProperty] = state,
        [TotalProperty] = total,
    });

    /// <summary>Merged, never replaced: a repeated fan-out keeps the attempts and outcomes already written.</summary>
    public static TableEntity NewDelivery(string eventId, Subscription s) =>
        new(eventId, DeliveryKey(s.Id), new Dictionary<string, object?> { [ServiceProperty] = SubscriptionRows.ServiceKey(s.Service) });

    public static TableEntity Outcome(string eventId, string subscriptionId, string outcome, int attempts) =>
        new(eventId, DeliveryKey(subscriptionId), new Dictionary<string, object?> { [OutcomeProperty] = outcome, [AttemptsProperty] = attempts });

    public static TableEntity Retry(string eventId, string subscriptionId, int attempts, DateTimeOffset next) =>
        new(eventId, DeliveryKey(subscriptionId), new Dictionary<string, object?> { [AttemptsProperty] = attempts, [NextAttemptAtProperty] = next });
}
