using System.Text.Json;

namespace ServerlessMonitor.Notifications.Channels;

/// <summary>
/// A Teams Workflows webhook ("Post to a channel when a webhook request is received"): a <c>message</c> whose one
/// attachment is an Adaptive Card 1.5 — a title TextBlock, the sentence, a FactSet and an Action.OpenUrl to the
/// status page. Texts and facts are cut so the card stays under the 28 KB a Teams message may carry.
/// </summary>
internal sealed class TeamsSender(ChannelOptions options, ChannelHttp http) : IChannelSender
{
    public const string CardContentType = "application/vnd.microsoft.card.adaptive";
    public const int MaxText = 3000;
    public const int MaxFacts = 10;

    public string Display => $"teams {new Uri(options.Url!).Host}";

    public Task SendAsync(NotificationMessage m, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = ChannelHttp.Json(w => Write(w, m)) };
        return http.SendAsync(Display, request, ChannelText.UrlSecrets(options.Url), ct);
    }

    internal static void Write(Utf8JsonWriter w, NotificationMessage m)
    {
        w.WriteStartObject();
        w.WriteString("type", "message");
        w.WriteStartArray("attachments");
        w.WriteStartObject();
        w.WriteString("contentType", CardContentType);
        w.WriteNull("contentUrl");
        w.WritePropertyName("content");
        WriteCard(w, m);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    internal static void WriteCard(Utf8JsonWriter w, NotificationMessage m)
    {
        w.WriteStartObject();
        w.WriteString("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        w.WriteString("type", "AdaptiveCard");
        w.WriteString("version", "1.5");
        w.WriteStartArray("body");
        TextBlock(w, ChannelText.Truncate(m.Title, 200), bolder: true, m.Severity switch
        {
            Severity.Critical => "Attention",
            Severity.Warning => "Warning",
            Severity.Resolved => "Good",
            _ => "Default",
        });
        TextBlock(w, m.Text, bolder: false, "Default");
        if (m.Facts.Count > 0)
        {
            w.WriteStartObject();
            w.WriteString("type", "FactSet");
            w.WriteStartArray("facts");
            foreach (var (label, value) in m.Facts.Take(MaxFacts))
            {
                w.WriteStartObject();
                w.WriteString("title", ChannelText.Truncate(label, 200));
                w.WriteString("value", ChannelText.Truncate(value, 1000));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (m.Link is { } link)
        {
            w.WriteStartArray("actions");
            w.WriteStartObject();
            w.WriteString("type", "Action.OpenUrl");
            w.WriteString("title", "Status page");
            w.WriteString("url", link);
            w.WriteEndObject();
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void TextBlock(Utf8JsonWriter w, string text, bool bolder, string color)
    {
        w.WriteStartObject();
        w.WriteString("type", "TextBlock");
        w.WriteString("text", ChannelText.Truncate(text, MaxText));
        w.WriteBoolean("wrap", true);
        if (bolder)
        {
            w.WriteString("weight", "Bolder");
            w.WriteString("size", "Medium");
        }
        w.WriteString("color", color);
        w.WriteEndObject();
    }
}
