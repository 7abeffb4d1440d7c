using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Subscriptions.Email;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// The per-subscription secret that signs a webhook subscriber's events: HMAC-SHA256 of the subscription id under a key
/// derived from <c>Subscriptions:SigningKey</c>. Derived, not stored, so the table holds no secret; returned once, in the
/// answer to the subscribe request (subscribing the same URL again, challenge passed again, returns it again). Changing the
/// signing key changes every webhook secret.
/// </summary>
public sealed class WebhookSecrets(IOptions<EmailSubscriptionOptions> options)
{
    /// <summary>Webhook subscriptions need the signing key; without it they are off (503).</summary>
    public bool Ready => options.Value.SigningKey is { Length: >= EmailSubscriptionOptions.MinSigningKeyLength };

    public string For(string subscriptionId)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.SigningKey!), "serverlessmonitor/webhook/secret"u8);
        return Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(subscriptionId)));
    }

    /// <summary>The signature header's value for a body: the same format as the operators' direct webhooks.</summary>
    public string Sign(string subscriptionId, ReadOnlySpan<byte> body) =>
        Alerts.WebhookAlertSink.Sign(Encoding.UTF8.GetBytes(For(subscriptionId)), body);
}
