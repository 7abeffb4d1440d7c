using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Notifications.Channels;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Notifications;

public static class NotificationsExtensions
{
    /// <summary>
    /// Service incidents (the grouped Service.* events) and one outbox sink per configured channel
    /// (<c>Notifications:Channels:{name}</c>). Needs the storage and alerts features.
    /// </summary>
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NotificationsOptions>().BindConfiguration(NotificationsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ServiceIncidentAlerts>();
        services.AddSingleton<ChannelHealth>();
        services.AddSingleton<ChannelHttp>();
        services.AddSingleton<DeliveryReport>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, NotificationsAdminJsonContext.Default));
        // No request logging: a webhook URL is the secret itself, and the default handler logs every URL it calls.
        services.AddHttpClient(ChannelHttp.ClientName, http => http.Timeout = TimeSpan.FromSeconds(10)).RemoveAllLoggers();
        // Which channels exist follows the configuration at start-up, like the webhooks; their settings are read
        // through the validated options when the dispatcher first needs its sinks.
        foreach (var name in builder.Configuration.GetSection($"{NotificationsOptions.Section}:Channels").GetChildren().Select(c => c.Key))
        {
            services.AddSingleton<IAlertSink>(sp => Create(sp, name));
        }
        return builder;
    }

    private static ChannelSink Create(IServiceProvider sp, string name)
    {
        var notifications = sp.GetRequiredService<IOptions<NotificationsOptions>>().Value;
        var options = notifications.Channels[name];
        var http = sp.GetRequiredService<ChannelHttp>();
        var time = sp.GetRequiredService<TimeProvider>();
        IChannelSender sender = options.Kind switch
        {
            ChannelKind.Slack => new SlackSender(options, http),
            ChannelKind.Teams => new TeamsSender(options, http),
            ChannelKind.Discord => new DiscordSender(options, http),
            ChannelKind.Telegram => new TelegramSender(options, http),
            ChannelKind.Ntfy => new NtfySender(options, http),
            ChannelKind.PagerDuty => new PagerDutySender(options, http),
            ChannelKind.Opsgenie => new OpsgenieSender(options, http),
            _ => new EmailSender(options, time),
        };
        return new ChannelSink(name, options, sender, sp.GetRequiredService<ChannelHealth>(), sp.GetRequiredService<ITableStore>(),
            sp.GetRequiredService<MonitorTables>(), time, notifications.MaxAttempts);
    }
}
