using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ServerlessMonitor.Alerts;

/// <summary>
/// One direct webhook subscriber, spoken to as the CloudEvents HTTP webhook spec describes: an OPTIONS
/// validation handshake before the first delivery (the receiver must opt in, so we never spam an
/// arbitrary URL), then structured-mode POSTs, optionally HMAC-signed.
/// </summary>
/// <remarks>
/// Built from the webhook's settings without touching <see cref="AlertsOptions"/>, so resolving the sinks
/// never pre-empts start-up validation; the origin is read when the first handshake happens.
/// </remarks>
internal sealed class WebhookAlertSink(WebhookOptions options, IOptions<AlertsOptions> alerts, IHttpClientFactory httpClients) : IAlertSink
{
    public const string HttpClientName = "alerts-webhooks";
    public const string SignatureHeader = "X-ServerlessMonitor-Signature";
    public const string ContentType = "application/cloudevents+json; charset=utf-8";

    private readonly byte[]? _secret = string.IsNullOrEmpty(options.Secret) ? null : Encoding.UTF8.GetBytes(options.Secret);
    // Set once the receiver has allowed us; a restart repeats the handshake, which is harmless.
    private volatile bool _validated;

    /// <summary>Derived from the URL so it survives restarts and reordering, yet shows no part of it.</summary>
    public string Name { get; } = "webhook-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(options.Url)))[..12];

    // The query string often carries a function key (?code=…): never show it.
    public string Display => $"webhook {Url.GetLeftPart(UriPartial.Path)}";

    // Start-up validation guarantees an absolute http(s) URL before any delivery.
    private Uri Url => new(options.Url, UriKind.Absolute);

    public bool Wants(AlertEvent alert) =>
        (options.Types is not { Count: > 0 } types || types.Contains(alert.Type, StringComparer.Ordinal)) &&
        (string.IsNullOrEmpty(options.SubjectPrefix) || alert.Subject.StartsWith(options.SubjectPrefix, StringComparison.OrdinalIgnoreCase));

    public async Task DeliverAsync(AlertEvent alert, string json, CancellationToken ct)
    {
        var http = httpClients.CreateClient(HttpClientName);
        if (!_validated)
        {
            await HandshakeAsync(http, ct);
            _validated = true;
        }
        var body = Encoding.UTF8.GetBytes(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        if (_secret is not null)
        {
            request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(_secret, body));
        }
        using var response = await SendAsync(http, request, "delivery", ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new AlertDeliveryException($"{Display}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd());
        }
    }

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of the exact body bytes.</summary>
    public static string Sign(byte[] secret, ReadOnlySpan<byte> body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    private async Task HandshakeAsync(HttpClient http, CancellationToken ct)
    {
        var origin = alerts.Value.WebhookOrigin!;
        using var request = new HttpRequestMessage(HttpMethod.Options, Url);
        request.Headers.TryAddWithoutValidation("WebHook-Request-Origin", origin);
        using var response = await SendAsync(http, request, "validation handshake", ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new AlertDeliveryException($"{Display}: validation handshake refused: HTTP {(int)response.StatusCode}");
        }
        var allowed = response.Headers.TryGetValues("WebHook-Allowed-Origin", out var values) ? values.ToList() : [];
        if (!allowed.Any(a => a == "*" || string.Equals(a, origin, StringComparison.OrdinalIgnoreCase)))
        {
            throw new AlertDeliveryException($"{Display}: validation handshake refused: WebHook-Allowed-Origin does not allow '{origin}'");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string what, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e)
        {
            throw new AlertDeliveryException($"{Display}: {what} failed: {e.HttpRequestError} ({e.Message})", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new AlertDeliveryException($"{Display}: {what} timed out after {http.Timeout.TotalSeconds:F0} s", e);
        }
    }
}
