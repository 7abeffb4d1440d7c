using System.Text.Json;

namespace ServerlessMonitor.Notifications.Channels;

/// <summary>
/// Discord webhook: <c>content</c> (2,000) and one embed — title 256, description 4,096, up to 25 fields
/// (name 256, value 1,024) — with mentions disabled, so a quoted body cannot ping @everyone.
/// </summary>
internal sealed class DiscordSender(ChannelOptions options, ChannelHttp http) : IChannelSender
{
    public const int MaxContent = 2000;
    public const int MaxTitle = 256;
    public const int MaxDescription = 4096;
    public const int MaxFields = 25;
    /// <summary>All of an embed's text together (title, description, field names and values).</summary>
    public const int MaxEmbed = 6000;

    public string Display => $"discord {new Uri(options.Url!).Host}";

    public Task SendAsync(NotificationMessage m, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = ChannelHttp.Json(w => Write(w, m)) };
        return http.SendAsync(Display, request, ChannelText.UrlSecrets(options.Url), ct);
    }

    internal static void Write(Utf8JsonWriter w, NotificationMessage m)
    {
        var title = ChannelText.Truncate(m.Title, MaxTitle);
        var fields = m.Facts.Take(MaxFields).Select(f => (Name: ChannelText.Truncate(f.Label, 256), Value: ChannelText.Truncate(f.Value, 1024))).ToList();
        var description = ChannelText.Truncate(m.Text, MaxDescription);
        // The sentence matters more than the last facts: facts go until title, description and fields fit in 6,000.
        while (fields.Count > 0 && title.Length + Math.Min(description.Length, 1024) + fields.Sum(f => f.Name.Length + f.Value.Length) > MaxEmbed)
        {
            fields.RemoveAt(fields.Count - 1);
        }
        var budget = MaxEmbed - title.Length - fields.Sum(f => f.Name.Length + f.Value.Length);
        w.WriteStartObject();
        w.WriteString("content", ChannelText.Truncate(m.Title, MaxContent));
        w.WriteStartArray("embeds");
        w.WriteStartObject();
        w.WriteString("title", title);
        w.WriteString("description", ChannelText.Truncate(description, budget));
        if (m.Link is { } link)
        {
            w.WriteString("url", link);
        }
        w.WriteNumber("color", m.Severity switch
        {
            Severity.Critical => 0xD93025,
            Severity.Warning => 0xF9A825,
            Severity.Resolved => 0x1E8E3E,
            _ => 0x1A73E8,
        });
        w.WriteStartArray("fields");
        foreach (var (name, value) in fields)
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteString("value", value);
            w.WriteBoolean("inline", value.Length < 40);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartObject("allowed_mentions");
        w.WriteStartArray("parse");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
