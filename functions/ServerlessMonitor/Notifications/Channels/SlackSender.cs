using System.Text.Json;

namespace ServerlessMonitor.Notifications.Channels;

/// <summary>
/// Slack incoming webhook: <c>text</c> (the notification fallback) plus Block Kit — a header (plain text, 150),
/// sections (mrkdwn, 3,000; fields 2,000 each, 10 a section) and a context link; at most 50 blocks.
/// </summary>
internal sealed class SlackSender(ChannelOptions options, ChannelHttp http) : IChannelSender
{
    public const int MaxBlocks = 50;
    public const int MaxHeader = 150;
    public const int MaxSection = 3000;
    public const int MaxField = 2000;
    private const int FieldsPerSection = 10;

    public string Display => $"slack {new Uri(options.Url!).Host}";

    public Task SendAsync(NotificationMessage m, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = ChannelHttp.Json(w => Write(w, m)) };
        return http.SendAsync(Display, request, ChannelText.UrlSecrets(options.Url), ct);
    }

    internal static void Write(Utf8JsonWriter w, NotificationMessage m)
    {
        var blocks = new List<Action<Utf8JsonWriter>>
        {
            b => Text(b, "header", "plain_text", ChannelText.Truncate(m.Title, MaxHeader)),
            b => Text(b, "section", "mrkdwn", ChannelText.Truncate(Escape(m.Text), MaxSection)),
        };
        foreach (var chunk in m.Facts.Chunk(FieldsPerSection))
        {
            blocks.Add(b =>
            {
                b.WriteStartObject();
                b.WriteString("type", "section");
                b.WriteStartArray("fields");
                foreach (var (label, value) in chunk)
                {
                    b.WriteStartObject();
                    b.WriteString("type", "mrkdwn");
                    b.WriteString("text", ChannelText.Truncate($"*{Escape(label)}*\n{Escape(value)}", MaxField));
                    b.WriteEndObject();
                }
                b.WriteEndArray();
                b.WriteEndObject();
            });
        }
        if (m.Link is { } link)
        {
            blocks.Add(b =>
            {
                b.WriteStartObject();
                b.WriteString("type", "context");
                b.WriteStartArray("elements");
                b.WriteStartObject();
                b.WriteString("type", "mrkdwn");
                b.WriteString("text", $"<{link}|Status page>");
                b.WriteEndObject();
                b.WriteEndArray();
                b.WriteEndObject();
            });
        }
        w.WriteStartObject();
        w.WriteString("text", ChannelText.Truncate(Escape(m.Text), MaxSection));
        w.WriteStartArray("blocks");
        foreach (var block in blocks.Take(MaxBlocks))
        {
            block(w);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Text(Utf8JsonWriter w, string block, string kind, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", block);
        w.WriteStartObject("text");
        w.WriteString("type", kind);
        w.WriteString("text", text);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Slack's mrkdwn control characters: &amp;, &lt; and &gt; (so a body cannot inject a mention or link).</summary>
    internal static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
