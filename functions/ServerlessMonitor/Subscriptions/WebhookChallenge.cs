using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Probing;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// Proves that a URL wants our events before anything is stored or sent: one POST of a CloudEvent of type
/// <see cref="Type"/> whose data carries a one-time <c>validationCode</c>; the receiver must answer 2xx with
/// <c>{"validationResponse":"&lt;the code&gt;"}</c> (Event Grid's subscription validation, so receivers written for Event
/// Grid pass as they are). A redirect is an answer, not followed; at most <see cref="MaxAnswerBytes"/> of the answer are read.
/// </summary>
public sealed class WebhookChallenge(IHttpClientFactory httpClients, IOptions<MonitorOptions> monitor, IOptions<WebhookSubscriptionOptions> options,
    TimeProvider time)
{
    public const string Type = "ServerlessMonitor.Subscription.Validation";
    public const int MaxAnswerBytes = 4096;

    /// <summary>Null when the receiver echoed the code; otherwise why it failed, in words for the subscriber.</summary>
    public async Task<string?> VerifyAsync(Uri url, string service, CancellationToken ct)
    {
        var code = Base64UrlCode();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(Body(code, service)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(WebhookAlertSink.ContentType);
        try
        {
            using var response = await httpClients.CreateClient(WebhookHttp.ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                return $"the receiver answered the validation request with a redirect ({status}); redirects are not followed: subscribe the final URL.";
            }
            if (!response.IsSuccessStatusCode)
            {
                return $"the receiver answered the validation request with HTTP {status}.";
            }
            return Echoes(await ReadCappedAsync(response.Content, ct), code)
                ? null
                : $"the receiver's answer did not echo the validation code: answer {{\"validationResponse\":\"<data.validationCode>\"}} (at most {MaxAnswerBytes} bytes).";
        }
        catch (HttpRequestException e) when (e.InnerException is RedirectRefusedException)
        {
            return "the receiver's address is not public.";
        }
        catch (HttpRequestException e)
        {
            return $"the validation request failed ({e.HttpRequestError}).";
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"the receiver did not answer the validation request within {options.Value.WebhookTimeout.TotalSeconds:0} s.";
        }
    }

    private byte[] Body(string code, string service)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("specversion", "1.0");
            json.WriteString("id", Base64UrlCode());
            json.WriteString("type", Type);
            json.WriteString("source", AlertEvents.Source(monitor.Value.Instance));
            json.WriteString("subject", AlertEvents.Subject(service, null));
            json.WriteString("time", time.GetUtcNow());
            json.WriteString("datacontenttype", "application/json");
            json.WriteStartObject("data");
            json.WriteString("validationCode", code);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static bool Echoes(byte[]? answer, string code)
    {
        if (answer is null)
        {
            return false;
        }
        try
        {
            using var doc = JsonDocument.Parse(answer);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("validationResponse", out var echo)
                && echo.ValueKind == JsonValueKind.String && CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(echo.GetString()!), System.Text.Encoding.UTF8.GetBytes(code));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The answer's body, or null when it is longer than <see cref="MaxAnswerBytes"/> (the rest is never read).</summary>
    private static async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken ct)
    {
        if (content.Headers.ContentLength > MaxAnswerBytes)
        {
            return null;
        }
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new byte[MaxAnswerBytes + 1];
        var length = 0;
        int read;
        while (length <= MaxAnswerBytes && (read = await stream.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
        }
        return length > MaxAnswerBytes ? null : buffer[..length];
    }

    private static string Base64UrlCode() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
}
