using System.Net;
using System.Text;
using System.Text.Json;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Options;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// Web push (RFC 8030) with VAPID (RFC 8292) through Lib.Net.Http.WebPush, which encrypts the payload per RFC 8291
/// (aes128gcm). The payload is the JSON the service worker shows: title, body, link and a tag per service, so a
/// recovery replaces the down notification. A push service answering 404 or 410 says the subscription is gone.
/// </summary>
internal sealed class WebPushChannel(IHttpClientFactory httpClients, IOptions<SubscriptionsOptions> options, VapidTokenCache tokens) : ISubscriberChannel
{
    public const string HttpClientName = "subscriptions-webpush";

    public string Kind => SubscriptionKinds.Push;

    public async Task<SubscriberSendResult> SendAsync(SubscriberMessage message, Subscription subscription, CancellationToken ct)
    {
        var o = options.Value;
        if (!o.PushEnabled)
        {
            return SubscriberSendResult.RetryLater;
        }
        var input = PushSubscriptionInput.FromAddress(subscription.Address);
        if (!o.AllowLoopback && input.Endpoint.Scheme != Uri.UriSchemeHttps)
        {
            return SubscriberSendResult.Gone;
        }
        var target = new PushSubscription { Endpoint = input.Endpoint.AbsoluteUri };
        target.SetKey(PushEncryptionKeyName.P256DH, input.P256dh);
        target.SetKey(PushEncryptionKeyName.Auth, input.Auth);
        var push = new PushMessage(Payload(message, subscription))
        {
            TimeToLive = (int)o.PushTimeToLive.TotalSeconds,
            Urgency = PushMessageUrgency.High,
            // One pending message per service: a recovery replaces a down the browser has not fetched yet.
            Topic = Alerts.AlertEvents.StableId(message.Service)[..32],
        };
        // The library's own token (replaced by VapidAudienceHandler's) is cached too: no second signature per push.
        using var vapid = new VapidAuthentication(o.VapidPublicKey!, o.VapidPrivateKey!) { Subject = o.VapidSubject, TokenCache = tokens };
        var client = new PushServiceClient(httpClients.CreateClient(HttpClientName)) { AutoRetryAfter = false };
        try
        {
            await client.RequestPushMessageDeliveryAsync(target, push, vapid, VapidAuthenticationScheme.Vapid, ct);
            return SubscriberSendResult.Accepted;
        }
        catch (PushServiceClientException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return SubscriberSendResult.Gone;
        }
        catch (Exception e) when (e is PushServiceClientException or HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return SubscriberSendResult.RetryLater;
        }
    }

    /// <summary>What the service worker shows; <c>unsubscribe</c> lets it offer the way out.</summary>
    internal static string Payload(SubscriberMessage message, Subscription subscription)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("title", message.Title);
            json.WriteString("body", message.Text);
            json.WriteString("url", message.Link ?? "/");
            json.WriteString("tag", "serverlessmonitor-" + message.Service);
            json.WriteString("id", SubscriberDeliveryIds.For(message.EventId, subscription.Id));
            json.WriteString("unsubscribe", UnsubscribeApi.PathFor(subscription.Id));
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
