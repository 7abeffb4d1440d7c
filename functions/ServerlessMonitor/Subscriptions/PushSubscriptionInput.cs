using System.Net;
using System.Text;
using System.Text.Json;

namespace ServerlessMonitor.Subscriptions;

/// <summary>A browser's push subscription as validated: the push service endpoint and the two client keys.</summary>
public sealed record PushSubscriptionInput(Uri Endpoint, string P256dh, string Auth)
{
    public const int MaxBodyBytes = 4096;

    /// <summary>The form stored as the subscription's address: the browser's own <c>PushSubscription.toJSON()</c> shape.</summary>
    public string ToAddress()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("endpoint", Endpoint.AbsoluteUri);
            json.WriteStartObject("keys");
            json.WriteString("p256dh", P256dh);
            json.WriteString("auth", Auth);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// Parses <c>{"endpoint":"https://…","keys":{"p256dh":"…","auth":"…"}}</c>: an https endpoint (http on loopback only when
    /// <paramref name="allowLoopback"/>), p256dh an uncompressed P-256 point (65 bytes), auth 16 bytes, base64url.
    /// Returns the problem and the field it is about otherwise.
    /// </summary>
    public static (PushSubscriptionInput? Input, string? Problem, string? Field) Parse(ReadOnlySpan<byte> body, bool allowLoopback)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(body.ToArray());
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return (null, "The body is not JSON; send the browser's PushSubscription as JSON (JSON.stringify(subscription)).", "body");
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("endpoint", out var e) || e.ValueKind != JsonValueKind.String)
        {
            return (null, "endpoint is missing: send the browser's PushSubscription as JSON.", "endpoint");
        }
        if (!Uri.TryCreate(e.GetString(), UriKind.Absolute, out var endpoint) || !IsAllowedEndpoint(endpoint, allowLoopback))
        {
            return (null, "endpoint must be an absolute https URL of a push service.", "endpoint");
        }
        var keys = root.TryGetProperty("keys", out var k) && k.ValueKind == JsonValueKind.Object ? k : default;
        var p256dh = Key(keys, "p256dh");
        if (!VapidKeys.IsPublicKey(p256dh))
        {
            return (null, "keys.p256dh must be the base64url of an uncompressed P-256 public key (65 bytes).", "keys.p256dh");
        }
        var auth = Key(keys, "auth");
        if (VapidKeys.TryDecode(auth, 16) is null)
        {
            return (null, "keys.auth must be the base64url of a 16-byte authentication secret.", "keys.auth");
        }
        return (new PushSubscriptionInput(endpoint, p256dh!, auth!), null, null);
    }

    public static PushSubscriptionInput FromAddress(string address) =>
        Parse(Encoding.UTF8.GetBytes(address), allowLoopback: true).Input ?? throw new FormatException("A stored push subscription is not readable.");

    private static string? Key(JsonElement keys, string name) =>
        keys.ValueKind == JsonValueKind.Object && keys.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool IsAllowedEndpoint(Uri uri, bool allowLoopback) =>
        uri.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(uri.UserInfo)
            || (allowLoopback && uri.Scheme == Uri.UriSchemeHttp && IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
}
