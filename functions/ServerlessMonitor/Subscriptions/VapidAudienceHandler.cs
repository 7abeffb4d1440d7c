using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// Signs each push request's VAPID token (RFC 8292) with <c>aud</c> = the endpoint's full origin. Lib.Net.Http.WebPush 3.3.1
/// builds <c>aud</c> from scheme and host only, dropping a non-default port, which a push service on such a port refuses;
/// the library still encrypts the payload and sets TTL, Urgency and Topic. Tokens are reused per audience (<see cref="VapidTokenCache"/>).
/// </summary>
internal sealed class VapidAudienceHandler(IOptions<SubscriptionsOptions> options, VapidTokenCache tokens, TimeProvider time) : DelegatingHandler
{
    /// <summary>Within the 24 h RFC 8292 allows, with room for clock skew.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.PushEnabled && request.RequestUri is { } uri)
        {
            var audience = uri.GetLeftPart(UriPartial.Authority);
            // Keyed by what the token says: keys or subject changed by configuration get a new one.
            var key = $"{o.VapidPublicKey} {o.VapidSubject} {audience}";
            var token = tokens.Get(key);
            if (token is null)
            {
                var expires = time.GetUtcNow() + Lifetime;
                token = Sign(audience, o.VapidSubject, o.VapidPublicKey!, o.VapidPrivateKey!, expires);
                tokens.Put(key, expires, token);
            }
            request.Headers.Authorization = new AuthenticationHeaderValue("vapid", $"t={token}, k={o.VapidPublicKey}");
        }
        return base.SendAsync(request, cancellationToken);
    }

    public static string Sign(string audience, string subject, string publicKey, string privateKey, DateTimeOffset expires)
    {
        var q = Base64Url.DecodeFromChars(publicKey);
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = q[1..33], Y = q[33..65] },
            D = Base64Url.DecodeFromChars(privateKey),
        });
        using var claims = new MemoryStream();
        using (var json = new Utf8JsonWriter(claims))
        {
            json.WriteStartObject();
            json.WriteString("aud", audience);
            json.WriteNumber("exp", expires.ToUnixTimeSeconds());
            json.WriteString("sub", subject);
            json.WriteEndObject();
        }
        var signed = Base64Url.EncodeToString("""{"typ":"JWT","alg":"ES256"}"""u8) + "." + Base64Url.EncodeToString(claims.ToArray());
        // IEEE P1363 (r || s), the JWS form of an ES256 signature.
        return signed + "." + Base64Url.EncodeToString(key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256));
    }
}
