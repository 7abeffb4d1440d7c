namespace ServerlessMonitor.Notifications.Channels;

/// <summary>
/// Opsgenie Alert API with <c>Authorization: GenieKey {key}</c>: <c>POST {base}/v2/alerts</c> creates an alert with
/// <c>alias</c> = the incident id (message at most 130 characters, description 15,000, alias 512), and
/// <c>POST {base}/v2/alerts/{alias}/close?identifierType=alias</c> closes it on recovery.
/// </summary>
internal sealed class OpsgenieSender(ChannelOptions options, ChannelHttp http) : IChannelSender
{
    public const string DefaultBaseUrl = "https://api.opsgenie.com";
    public const int MaxMessage = 130;
    public const int MaxDescription = 15000;
    public const int MaxAlias = 512;
    /// <summary>All of an alert's details together (keys and values).</summary>
    public const int MaxDetails = 8000;

    private string BaseUrl => (options.BaseUrl ?? DefaultBaseUrl).TrimEnd('/');

    public string Display => $"opsgenie {new Uri(BaseUrl).Host}";

    public Task SendAsync(NotificationMessage m, CancellationToken ct)
    {
        var alias = ChannelText.Truncate(m.DedupKey, MaxAlias);
        var request = m.Resolves
            ? new HttpRequestMessage(HttpMethod.Post, $"{BaseUrl}/v2/alerts/{Uri.EscapeDataString(alias)}/close?identifierType=alias")
            {
                Content = ChannelHttp.Json(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("source", m.Source);
                    w.WriteString("note", ChannelText.Truncate(m.Title, 25000));
                    w.WriteEndObject();
                }),
            }
            : new HttpRequestMessage(HttpMethod.Post, $"{BaseUrl}/v2/alerts")
            {
                Content = ChannelHttp.Json(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("message", ChannelText.Truncate(m.Title, MaxMessage));
                    w.WriteString("alias", alias);
                    w.WriteString("description", ChannelText.Truncate(m.Text + (m.Link is { } l ? $"\n\n{l}" : ""), MaxDescription));
                    w.WriteString("priority", m.Severity == Severity.Critical ? "P1" : m.Severity == Severity.Warning ? "P3" : "P5");
                    w.WriteString("source", m.Source);
                    w.WriteStartArray("tags");
                    w.WriteStringValue("serverlessmonitor");
                    w.WriteStringValue(m.Event.ToString().ToLowerInvariant());
                    w.WriteEndArray();
                    w.WriteStartObject("details");
                    var room = MaxDetails;
                    foreach (var (label, value) in m.Facts)
                    {
                        if (room - label.Length < 2)
                        {
                            break;
                        }
                        var cut = ChannelText.Truncate(value, Math.Min(1000, room - label.Length));
                        room -= label.Length + cut.Length;
                        w.WriteString(label, cut);
                    }
                    w.WriteEndObject();
                    w.WriteEndObject();
                }),
            };
        request.Headers.TryAddWithoutValidation("Authorization", $"GenieKey {options.ApiKey}");
        return http.SendAsync(Display, request, [options.ApiKey], ct);
    }
}
