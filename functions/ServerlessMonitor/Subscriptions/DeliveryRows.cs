using System.Globalization;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// The SubscriberDeliveries table, in one place: one partition per event being fanned out (its stable id), a
/// <c>fanout</c> row saying how far it got, and one <c>d-{subscription id}</c> row per subscriber with its attempts
/// and outcome. Once every delivery has an outcome the marker says done and the delivery rows are deleted; the marker
/// stays, so a repeated dispatch of a finished event sends nothing, until <see cref="DeliveryPurge"/> removes it after
/// Subscriptions:DeliveryRetention. A finished event is listed in the <c>done-{yyyyMMdd}</c> partition of its day, so
/// the purge finds old markers by day without scanning every event's partition; <c>purge</c>/<c>cursor</c> is the last day purged.
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
    public const string FinishedAtProperty = "FinishedAt";
    public const string DayProperty = "Day";

    public const string CursorPartition = "purge";
    public const string CursorKey = "cursor";

    /// <summary>Marker states: every subscriber has a row and sending goes on; every delivery has an outcome.</summary>
    public const string Sending = "sending";
    public const string Done = "done";

    /// <summary>Outcomes of one delivery; none = still to send.</summary>
    public const string Accepted = "accepted";
    public const string Gone = "gone";
    public const string Failed = "failed";
    public const string Skipped = "skipped";

    private const string DeliveryPrefix = "d-";
    private const string DonePrefix = "done-";
    private const string DayFormat = "yyyyMMdd";

    public static readonly RowKeyRange Deliveries = RowKeyRange.Prefix(DeliveryPrefix);

    public static string DeliveryKey(string subscriptionId) => DeliveryPrefix + subscriptionId;

    public static string SubscriptionIdOf(string deliveryKey) => deliveryKey[DeliveryPrefix.Length..];

    public static TableEntity Marker(string eventId, string state, int total) => new(eventId, MarkerKey, new Dictionary<string, object?>
    {
        [StateProperty] = state,
        [TotalProperty] = total,
    });

    public static TableEntity DoneMarker(string eventId, int total, DateTimeOffset finishedAt) => new(eventId, MarkerKey, new Dictionary<string, object?>
    {
        [StateProperty] = Done,
        [TotalProperty] = total,
        [FinishedAtProperty] = finishedAt,
    });

    /// <summary>The index partition listing the events finished on <paramref name="day"/> (UTC).</summary>
    public static string DonePartition(DateOnly day) => DonePrefix + day.ToString(DayFormat, CultureInfo.InvariantCulture);

    public static TableEntity DoneEntry(string eventId, DateTimeOffset finishedAt) =>
        new(DonePartition(DateOnly.FromDateTime(finishedAt.UtcDateTime)), eventId, new Dictionary<string, object?>());

    public static TableEntity Cursor(DateOnly purgedThrough) =>
        new(CursorPartition, CursorKey, new Dictionary<string, object?> { [DayProperty] = purgedThrough.ToString(DayFormat, CultureInfo.InvariantCulture) });

    public static DateOnly? CursorDay(TableEntity? cursor) =>
        cursor?.GetString(DayProperty) is { } day && DateOnly.TryParseExact(day, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : null;

    /// <summary>Merged, never replaced: a repeated fan-out keeps the attempts and outcomes already written.</summary>
    public static TableEntity NewDelivery(string eventId, Subscription s) =>
        new(eventId, DeliveryKey(s.Id), new Dictionary<string, object?> { [ServiceProperty] = SubscriptionRows.ServiceKey(s.Service) });

    public static TableEntity Outcome(string eventId, string subscriptionId, string outcome, int attempts) =>
        new(eventId, DeliveryKey(subscriptionId), new Dictionary<string, object?> { [OutcomeProperty] = outcome, [AttemptsProperty] = attempts });

    public static TableEntity Retry(string eventId, string subscriptionId, int attempts, DateTimeOffset next) =>
        new(eventId, DeliveryKey(subscriptionId), new Dictionary<string, object?> { [AttemptsProperty] = attempts, [NextAttemptAtProperty] = next });
}
