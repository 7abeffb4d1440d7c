namespace ServerlessMonitor.Alerts;

/// <summary>
/// Somewhere alerts go: the Event Grid topic, or one direct webhook. The outbox records per sink
/// <see cref="Name"/> which sinks accepted an event, so a retry never re-sends to them.
/// </summary>
public interface IAlertSink
{
    /// <summary>Stable across restarts and without commas (it is stored in the outbox row).</summary>
    string Name { get; }

    /// <summary>For people: where the sink sends to, without keys, secrets or query strings.</summary>
    string Display { get; }

    /// <summary>False when the sink's filters exclude the event; it then counts as done for this sink.</summary>
    bool Wants(AlertEvent alert);

    /// <summary>
    /// Delivers the event. <paramref name="json"/> is the stored CloudEvent JSON, sent as is where the
    /// wire format allows. Throws <see cref="AlertDeliveryException"/> when the receiver did not accept it.
    /// </summary>
    Task DeliverAsync(AlertEvent alert, string json, CancellationToken ct);

    /// <summary>
    /// When this sink gives up on one event it keeps failing (dead-lettered for this sink only, re-drivable); null: the
    /// sink tries until the whole event is older than <c>Alerts:MaxAge</c>.
    /// </summary>
    SinkGiveUp? GiveUp => null;
}

/// <summary>Give up on an event for one sink after <paramref name="MaxFailures"/> failed attempts, or once it is older than <paramref name="MaxAge"/>.</summary>
public sealed record SinkGiveUp(int MaxFailures, TimeSpan MaxAge);

/// <summary>A delivery the receiver did not accept; the message is safe to store and log (no secrets).</summary>
public sealed class AlertDeliveryException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The receiver asked to wait this long (429 Retry-After): the next attempt is not sooner.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The sink held the event back itself (its own rate limit, minDuration): not a failed attempt of the receiver.</summary>
    public bool Deferred { get; init; }
}
