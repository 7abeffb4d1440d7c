using System.Text;

namespace ServerlessMonitor.Notifications.Channels;

/// <summary>
/// Telegram Bot API <c>sendMessage</c> (<c>{base}/bot{token}/sendMessage</c>) in HTML parse mode: every text is
/// HTML-escaped, and the visible text (what Telegram counts after parsing) is cut to 4,096 characters before the
/// tags go around it, so a cut never breaks a tag.
/// </summary>
internal sealed class TelegramSender(ChannelOptions options, ChannelHttp http) : IChannelSender
{
    public const string DefaultBaseUrl = "https://api.telegram.org";
    public const int MaxText = 4096;

    private string BaseUrl => (options.BaseUrl ?? DefaultBaseUrl).TrimEnd('/');

    public string Display => $"telegram {new Uri(BaseUrl).Host} chat {options.ChatId}";

    public Task SendAsync(NotificationMessage m, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{BaseUrl}/bot{options.Token}/sendMessage")
        {
            Content = ChannelHttp.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("chat_id", options.ChatId);
                w.WriteString("text", Html(m));
                w.WriteString("parse_mode", "HTML");
                w.WriteStartObject("link_preview_options");
                w.WriteBoolean("is_disabled", true);
                w.WriteEndObject();
                w.WriteEndObject();
            }),
        };
        return http.SendAsync(Display, request, [options.Token], ct);
    }

    /// <summary>Bold title, the sentence, the facts and the link; visible text at most 4,096 characters.</summary>
    internal static string Html(NotificationMessage m)
    {
        var title = ChannelText.Truncate(m.Title, 256);
        var link = m.Link is null ? "" : "\n\nStatus page";
        var facts = string.Concat(m.Facts.Select(f => $"\n{f.Label}: {f.Value}"));
        var room = MaxText - title.Length - link.Length - 2;
        var body = ChannelText.Truncate(m.Text + "\n" + facts, Math.Max(1, room));
        var html = new StringBuilder()
            .Append("<b>").Append(Escape(title)).Append("</b>\n\n")
            .Append(Escape(body));
        if (m.Link is { } url)
        {
            html.Append("\n\n<a href=\"").Append(Escape(url)).Append("\">Status page</a>");
        }
        return html.ToString();
    }

    /// <summary>The only characters Telegram's HTML mode needs escaped (it knows &amp;lt; &amp;gt; &amp;amp; &amp;quot;).</summary>
    internal static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
