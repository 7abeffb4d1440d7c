using ServerlessMonitor.Alerts;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// The public subscribers as one outbox sink: for a wanted service-level event it runs the event's fan-out. The sink
/// counts as delivered once every subscriber's delivery has an outcome; until then the outbox retries the row for this
/// sink alone, and each pass sends only the deliveries that are due (<see cref="SubscriberFanout"/>).
/// </summary>
internal sealed class SubscribersSink(SubscriberFanout fanout, TimeProvider time) : IAlertSink
{
    public string Name => "subscribers";

    public string Display => "public subscribers";

    public bool Wants(AlertEvent alert) => fanout.HasChannels && SubscriberMessages.IsWanted(alert);

    public async Task DeliverAsync(AlertEvent alert, string json, CancellationToken ct)
    {
        var message = SubscriberMessages.Build(alert) ?? throw new AlertDeliveryException($"{Display}: {alert.Type} is not a subscriber event");
        FanoutProgress progress;
        try
        {
            progress = await fanout.DeliverAsync(message, ct);
        }
        catch (TableStoreException e)
        {
            throw new AlertDeliveryException($"{Display}: storage failed during the fan-out: {e.Message}", e);
        }
        if (progress.Waiting > 0)
        {
            var wait = progress.NextAttempt is { } next ? next - time.GetUtcNow() : TimeSpan.Zero;
            throw new AlertDeliveryException($"{Display}: {progress.Waiting} of {progress.Total} deliveries wait for a retry")
            {
                RetryAfter = wait > TimeSpan.Zero ? wait : null,
            };
        }
    }
}
