using System.Text.RegularExpressions;
using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Notifications;

/// <summary>
/// One channel (<c>Notifications:Channels:{name}</c>). Which settings apply depends on <see cref="Type"/>;
/// <see cref="Url"/> (a webhook URL carries its own secret), <see cref="Token"/>, <see cref="RoutingKey"/>,
/// <see cref="ApiKey"/> and <see cref="Password"/> are secrets.
/// </summary>
public sealed partial class ChannelOptions
{
    /// <summary>slack, teams, discord, telegram, email, ntfy, pagerduty or opsgenie.</summary>
    public string Type { get; set; } = "";

    /// <summary>slack/teams/discord: the webhook URL; ntfy: the topic URL.</summary>
    public string? Url { get; set; }

    /// <summary>telegram/pagerduty/opsgenie: the API's base URL (defaults to the provider's public one).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>telegram: the bot token; ntfy: an optional access token.</summary>
    public string? Token { get; set; }

    /// <summary>telegram: the chat id (a number, or @channelname).</summary>
    public string? ChatId { get; set; }

    /// <summary>pagerduty: the Events API v2 integration (routing) key.</summary>
    public string? RoutingKey { get; set; }

    /// <summary>opsgenie: the API integration key.</summary>
    public string? ApiKey { get; set; }

    /// <summary>email: SMTP server, port, security (StartTls, SslOnConnect, None), login and addresses.</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string Security { get; set; } = "StartTls";
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string? From { get; set; }
    public List<string> To { get; set; } = [];

    /// <summary>email: trust this SHA-256 certificate thumbprint (a self-signed relay) instead of the system's roots.</summary>
    public string? ServerCertificateSha256 { get; set; }

    /// <summary>Service ids or globs (<c>tik*</c>); empty = every service.</summary>
    public List<string> Services { get; set; } = [];

    /// <summary>down, recovered, degraded, flapping, maintenance, certificate, monitor; empty = all of them.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>Send the down message only once the incident has lasted this long; its recovery only follows a sent down.</summary>
    public TimeSpan MinDuration { get; set; }

    /// <summary>While a service stays down, a counted reminder at this interval; null = none.</summary>
    public TimeSpan? RemindEvery { get; set; }

    /// <summary>At most this many messages a minute to this channel (the provider's own limit is lower for some).</summary>
    public int PerMinute { get; set; } = 20;

    public ChannelKind Kind => Enum.Parse<ChannelKind>(Type, ignoreCase: true);

    [GeneratedRegex("^[A-Za-z0-9-]{1,40}$")]
    internal static partial Regex NamePattern();

    /// <summary>Every problem of this channel's settings, each naming the setting (never its value).</summary>
    public IEnumerable<string> Validate(string path)
    {
        if (!Enum.TryParse<ChannelKind>(Type, ignoreCase: true, out var kind) || int.TryParse(Type, out _))
        {
            yield return $"{path}:Type: '{Type}' is not a channel type (one of {string.Join(", ", Enum.GetNames<ChannelKind>().Select(n => n.ToLowerInvariant()))})";
            yield break;
        }
        foreach (var error in Required(kind).Where(r => string.IsNullOrWhiteSpace(r.Value)).Select(r => $"{path}:{r.Name}: required for a {kind.ToString().ToLowerInvariant()} channel"))
        {
            yield return error;
        }
        foreach (var (name, value) in new[] { ("Url", Url), ("BaseUrl", BaseUrl) })
        {
            if (!string.IsNullOrWhiteSpace(value) && !IsHttpUrl(value))
            {
                yield return $"{path}:{name}: not an absolute http(s) URL";
            }
        }
        if (kind == ChannelKind.Email && To.Count == 0)
        {
            yield return $"{path}:To: at least one address is required for an email channel";
        }
        if (kind == ChannelKind.Email && !Enum.TryParse<SmtpSecurity>(Security, ignoreCase: true, out _))
        {
            yield return $"{path}:Security: '{Security}' is not StartTls, SslOnConnect or None";
        }
        for (var i = 0; i < Services.Count; i++)
        {
            if (!GlobPattern.TryCompile(Services[i], out _, out var error))
            {
                yield return $"{path}:Services:{i}: {error}";
            }
        }
        for (var i = 0; i < Events.Count; i++)
        {
            if (!Enum.TryParse<NotifyEvent>(Events[i], ignoreCase: true, out _) || int.TryParse(Events[i], out _))
            {
                yield return $"{path}:Events:{i}: '{Events[i]}' is not an event (one of {string.Join(", ", Enum.GetNames<NotifyEvent>().Select(n => n.ToLowerInvariant()))})";
            }
        }
        if (MinDuration < TimeSpan.Zero || MinDuration > TimeSpan.FromDays(1))
        {
            yield return $"{path}:MinDuration: must be between 0 and 1 day";
        }
        if (RemindEvery is { } remind && (remind < TimeSpan.FromMinutes(1) || remind > TimeSpan.FromDays(7)))
        {
            yield return $"{path}:RemindEvery: must be between 1 minute and 7 days";
        }
        if (PerMinute is < 1 or > 600)
        {
            yield return $"{path}:PerMinute: must be between 1 and 600";
        }
    }

    private IEnumerable<(string Name, string? Value)> Required(ChannelKind kind) => kind switch
    {
        ChannelKind.Slack or ChannelKind.Teams or ChannelKind.Discord or ChannelKind.Ntfy => [("Url", Url)],
        ChannelKind.Telegram => [("Token", Token), ("ChatId", ChatId)],
        ChannelKind.PagerDuty => [("RoutingKey", RoutingKey)],
        ChannelKind.Opsgenie => [("ApiKey", ApiKey)],
        ChannelKind.Email => [("Host", Host), ("From", From)],
        _ => [],
    };

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

/// <summary>How the email channel secures its SMTP connection.</summary>
public enum SmtpSecurity
{
    StartTls,
    SslOnConnect,
    None,
}
