using System.Net;
using System.Text;
using System.Text.Json;
using ServerlessMonitor.Alerts;

namespace ServerlessMonitor.Notifications;

/// <summary>
/// The HTTP part every web channel shares: sends one request, turns a refusal into an
/// <see cref="AlertDeliveryException"/> carrying the provider's answer (scrubbed of the channel's secrets) and,
/// on 429, its Retry-After (header, or Telegram's <c>parameters.retry_after</c>).
/// </summary>
public sealed class ChannelHttp(IHttpClientFactory clients, TimeProvider time)
{
    public const string ClientName = "notifications";
    private const int MaxAnswer = 300;

    public async Task SendAsync(string display, HttpRequestMessage request, IReadOnlyList<string?> secrets, CancellationToken ct)
    {
        var http = clients.CreateClient(ClientName);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new AlertDeliveryException($"{display}: {e.HttpRequestError} ({ChannelText.Scrub(e.Message, secrets)})");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new AlertDeliveryException($"{display}: no answer within {http.Timeout.TotalSeconds:F0} s");
        }
        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }
            var body = await response.Content.ReadAsStringAsync(ct);
            var answer = ChannelText.Truncate(ChannelText.Scrub(body.ReplaceLineEndings(" ").Trim(), secrets), MaxAnswer);
            throw new AlertDeliveryException($"{display}: HTTP {(int)response.StatusCode}{(answer.Length > 0 ? ": " + answer : "")}")
            {
                RetryAfter = response.StatusCode == HttpStatusCode.TooManyRequests
                    ? ChannelText.RetryAfter(response.Headers.RetryAfter, time.GetUtcNow()) ?? TelegramRetryAfter(body)
                    : null,
            };
        }
    }

    public static HttpContent Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        // Non-ASCII as UTF-8, not \uXXXX escapes: a message full of emoji must not grow six-fold past a size limit.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }
        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static TimeSpan? TelegramRetryAfter(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetBytes(body));
            return doc.RootElement.TryGetProperty("parameters", out var p) && p.TryGetProperty("retry_after", out var r) && r.TryGetInt32(out var s)
                ? TimeSpan.FromSeconds(s) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
