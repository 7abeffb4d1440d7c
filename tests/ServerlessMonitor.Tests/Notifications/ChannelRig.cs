using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Notifications.Channels;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>Builds the real senders against loopback fakes, with the channel settings an operator would write.</summary>
public static class ChannelRig
{
    public static ChannelHttp Http(TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(ChannelHttp.ClientName);
        return new ChannelHttp(services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>(), time ?? new ManualClock());
    }

    /// <summary>The settings of a channel of <paramref name="kind"/> pointing at <paramref name="fake"/> (one name per kind).</summary>
    public static Dictionary<string, string?> Settings(ChannelKind kind, Uri fake, string name)
    {
        var root = fake.ToString().TrimEnd('/');
        var p = $"Notifications:Channels:{name}:";
        var settings = new Dictionary<string, string?> { [p + "Type"] = kind.ToString().ToLowerInvariant() };
        switch (kind)
        {
            case ChannelKind.Slack:
                settings[p + "Url"] = root + ProviderRules.SlackPath;
                break;
            case ChannelKind.Teams:
                settings[p + "Url"] = root + ProviderRules.TeamsPath;
                break;
            case ChannelKind.Discord:
                settings[p + "Url"] = root + ProviderRules.DiscordPath;
                break;
            case ChannelKind.Telegram:
                (settings[p + "BaseUrl"], settings[p + "Token"], settings[p + "ChatId"]) = (root, ProviderRules.TelegramToken, ProviderRules.TelegramChat);
                break;
            case ChannelKind.Ntfy:
                (settings[p + "Url"], settings[p + "Token"]) = (root + "/monitor-alerts", ProviderRules.NtfyToken);
                break;
            case ChannelKind.PagerDuty:
                (settings[p + "BaseUrl"], settings[p + "RoutingKey"]) = (root, ProviderRules.PagerDutyKey);
                break;
            case ChannelKind.Opsgenie:
                (settings[p + "BaseUrl"], settings[p + "ApiKey"]) = (root, ProviderRules.OpsgenieKey);
                break;
        }
        return settings;
    }

    public static ChannelOptions Options(ChannelKind kind, Uri fake)
    {
        var o = new ChannelOptions();
        foreach (var (key, value) in Settings(kind, fake, "x"))
        {
            typeof(ChannelOptions).GetProperty(key.Split(':')[^1])!.SetValue(o, value);
        }
        return o;
    }

    public static IChannelSender Sender(ChannelKind kind, Uri fake, ChannelHttp? http = null)
    {
        var o = Options(kind, fake);
        http ??= Http();
        return kind switch
        {
            ChannelKind.Slack => new SlackSender(o, http),
            ChannelKind.Teams => new TeamsSender(o, http),
            ChannelKind.Discord => new DiscordSender(o, http),
            ChannelKind.Telegram => new TelegramSender(o, http),
            ChannelKind.Ntfy => new NtfySender(o, http),
            ChannelKind.PagerDuty => new PagerDutySender(o, http),
            ChannelKind.Opsgenie => new OpsgenieSender(o, http),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>The fake with the rules of <paramref name="kind"/>.</summary>
    public static Task<ProviderFake> FakeAsync(ChannelKind kind) => ProviderFake.StartAsync(kind switch
    {
        ChannelKind.Slack => ProviderRules.Slack,
        ChannelKind.Teams => ProviderRules.Teams,
        ChannelKind.Discord => ProviderRules.Discord,
        ChannelKind.Telegram => ProviderRules.Telegram,
        ChannelKind.Ntfy => r => ProviderRules.Ntfy(r, ProviderRules.NtfyToken),
        ChannelKind.PagerDuty => ProviderRules.PagerDuty,
        ChannelKind.Opsgenie => ProviderRules.Opsgenie,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    });

    public static readonly ChannelKind[] WebKinds =
        [ChannelKind.Slack, ChannelKind.Teams, ChannelKind.Discord, ChannelKind.Telegram, ChannelKind.Ntfy, ChannelKind.PagerDuty, ChannelKind.Opsgenie];

    /// <summary>A message far over every provider's limits, with characters each format must escape.</summary>
    public static NotificationMessage Huge(bool resolves = false) => new(
        "TikTok <b>is</b> down & \"out\" 🚨 " + new string('T', 600),
        "TikTok is down in westeurope — likely cause: server errors — <@everyone> & <script> " + string.Concat(Enumerable.Repeat("web, api, cdn 📉 ", 2000)),
        Enumerable.Range(0, 600).Select(i => ($"Endpoint {i}", $"HTTP 503 <{i}> " + new string('x', 3000))).ToList(),
        "https://status.example.com/#tiktok", Severity.Critical, NotifyEvent.Down, "incident-0123456789abcdef", resolves,
        "/serverlessmonitor/test", ManualClock.Epoch);

    public static NotificationMessage Small(bool resolves = false) => new("TikTok is down", "TikTok is down — likely cause: server errors",
        [("Endpoints", "web, api")], "https://status.example.com/#tiktok", resolves ? Severity.Resolved : Severity.Critical,
        resolves ? NotifyEvent.Recovered : NotifyEvent.Down, "incident-42", resolves, "/serverlessmonitor/test", ManualClock.Epoch);
}
