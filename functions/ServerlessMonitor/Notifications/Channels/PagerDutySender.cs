using System.Globalization;

namespace ServerlessMonitor.Notifications.Channels;

/// <summary>
/// PagerDuty Events API v2 (<c>POST {base}/v2/enqueue</c>): <c>trigger</c> with <c>dedup_key</c> = the incident id
/// (summary at most 1,024 characters), and <c>resolve</c> with the same key on recovery, which closes PagerDuty's
/// incident. A service incident re-triggered (degraded, then down) updates the same PagerDuty alert.
/// </summary>
internal sealed class PagerDutySender(ChannelOptions options, ChannelHttp http) : IChannelSender
{
    public const string DefaultBaseUrl = "https://events.pagerduty.com";
    public const int MaxSummary = 1024;
    public const int MaxDedupKey = 255;
    // Well inside the 512 KB an event may be.
    private const int MaxDetails = 20;

    private string BaseUrl => (options.BaseUrl ?? DefaultBaseUrl).TrimEnd('/');

    public string Display => $"pagerduty {new Uri(BaseUrl).Host}";

    public Task SendAsync(NotificationMessage m, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{BaseUrl}/v2/enqueue")
        {
            Content = ChannelHttp.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("routing_key", options.RoutingKey);
                w.WriteString("event_action", m.Resolves ? "resolve" : "trigger");
                w.WriteString("dedup_key", ChannelText.Truncate(m.DedupKey, MaxDedupKey));
                if (!m.Resolves)
                {
                    w.WriteStartObject("payload");
                    w.WriteString("summary", ChannelText.Truncate(m.Text, MaxSummary));
                    w.WriteString("source", m.Source);
                    w.WriteString("severity", m.Severity switch
                    {
                        Severity.Critical => "critical",
                        Severity.Warning => "warning",
                        _ => "info",
                    });
                    w.WriteString("timestamp", m.Time.ToString("O", CultureInfo.InvariantCulture));
                    w.WriteStartObject("custom_details");
                    foreach (var (label, value) in m.Facts.Take(MaxDetails))
                    {
                        w.WriteString(label, ChannelText.Truncate(value, 1024));
                    }
                    w.WriteEndObject();
                    w.WriteEndObject();
                    if (m.Link is { } link)
                    {
                        w.WriteStartArray("links");
                        w.WriteStartObject();
                        w.WriteString("href", link);
                        w.WriteString("text", "Status page");
                        w.WriteEndObject();
                        w.WriteEndArray();
                    }
                }
                w.WriteString("client", "ServerlessMonitor");
                w.WriteEndObject();
            }),
        };
        return http.SendAsync(Display, request, [options.RoutingKey], ct);
    }
}
