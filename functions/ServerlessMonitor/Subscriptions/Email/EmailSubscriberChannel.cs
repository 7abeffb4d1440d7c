namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>
/// The email <see cref="ISubscriberChannel"/>: one mail per message and confirmed subscription, with RFC 8058 one-click
/// unsubscribe (the subscription's unguessable unsubscribe URL) and the delivery's stable id as Message-Id. A permanent
/// (5xx) refusal of the recipient is <see cref="SubscriberSendResult.Gone"/>: the core removes the subscription and its address.
/// </summary>
public sealed class EmailSubscriberChannel(EmailSubscriptionSetup setup, SubscriberMailer mailer, ILogger<EmailSubscriberChannel> logger) : ISubscriberChannel
{
    public string Kind => SubscriptionKinds.Email;

    public async Task<SubscriberSendResult> SendAsync(SubscriberMessage message, Subscription subscription, CancellationToken ct)
    {
        if (setup.Current is not { } ready)
        {
            logger.LogWarning("Email subscription {Id} not sent to: email subscriptions are not configured ({Missing})", subscription.Id, setup.Missing);
            return SubscriberSendResult.RetryLater;
        }
        var unsubscribe = EmailLinks.Absolute(ready.Root, UnsubscribeApi.PathFor(subscription.Id));
        var mail = EmailMessages.Notification(ready.Smtp.From, subscription.Address, message, unsubscribe, SubscriberDeliveryIds.For(message.EventId, subscription.Id));
        var (outcome, reason) = await mailer.SendAsync(ready.Smtp, mail, ct);
        switch (outcome)
        {
            case MailOutcome.Sent:
                return SubscriberSendResult.Accepted;
            case MailOutcome.RecipientRejected:
                logger.LogInformation("Email subscription {Id} removed: the server refused its address for good ({Reason})", subscription.Id, reason);
                return SubscriberSendResult.Gone;
            default:
                logger.LogWarning("Email to subscription {Id} not sent: {Reason}", subscription.Id, reason);
                return SubscriberSendResult.RetryLater;
        }
    }
}
