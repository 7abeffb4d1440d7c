using System.Text;

namespace ServerlessMonitor.Notifications.Channels;

/// <summary>
/// ntfy: a POST of the text to the topic URL with Title, Priority (1–5), Tags (emoji short codes) and Click headers,
/// and <c>Authorization: Bearer</c> when a token is set. Header values that are not ASCII are RFC 2047-encoded,
/// which ntfy decodes. The body stays under ntfy's 4,096-byte message limit (longer ones become attachments).
/// </summary>
internal sealed class NtfySender(ChannelOptions options, ChannelHttp http) : IChannelSender
{
    public const int MaxBodyBytes = 4096;

    public string Display => $"ntfy {new Uri(options.Url!).Host}";

    public Task SendAsync(NotificationMessage m, CancellationToken ct)
    {
        var body = Body(m);
        var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        request.Headers.TryAddWithoutValidation("Title", Header(ChannelText.Truncate(m.Title, 250)));
        request.Headers.TryAddWithoutValidation("Priority", m.Severity switch
        {
            Severity.Critical => "5",
            Severity.Warning => "4",
            _ => "3",
        });
        request.Headers.TryAddWithoutValidation("Tags", m.Severity switch
        {
            Severity.Critical => "rotating_light",
            Severity.Warning => "warning",
            Severity.Resolved => "white_check_mark",
            _ => "information_source",
        });
        if (m.Link is { } link)
        {
            request.Headers.TryAddWithoutValidation("Click", link);
        }
        if (!string.IsNullOrEmpty(options.Token))
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {options.Token}");
        }
        return http.SendAsync(Display, request, [options.Token, .. ChannelText.UrlSecrets(options.Url)], ct);
    }

    internal static string Body(NotificationMessage m)
    {
        var text = m.Text + string.Concat(m.Facts.Select(f => $"\n{f.Label}: {f.Value}"));
        // Cut by characters until the UTF-8 fits: emoji and accents take several bytes each.
        for (var max = Math.Min(text.Length, MaxBodyBytes); Encoding.UTF8.GetByteCount(text) > MaxBodyBytes; max -= 64)
        {
            text = ChannelText.Truncate(text, max);
        }
        return text;
    }

    /// <summary>ASCII as is; anything else as an RFC 2047 encoded word (=?UTF-8?B?…?=).</summary>
    internal static string Header(string value) => value.All(c => c is >= ' ' and <= '~')
        ? value
        : $"=?UTF-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(value))}?=";
}
