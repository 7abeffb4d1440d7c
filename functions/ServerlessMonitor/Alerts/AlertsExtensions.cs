using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Alerts;

public static class AlertsExtensions
{
    /// <summary>
    /// Alert options, sinks (the Event Grid topic when configured, one sink per webhook), the outbox
    /// dispatcher and the AlertsTimer function. Needs the storage and catalog features.
    /// </summary>
    public static IHostApplicationBuilder AddAlerts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AlertsOptions>().BindConfiguration(AlertsOptions.Section)
            .PostConfigure<IConfiguration>((o, config) =>
                // WEBSITE_HOSTNAME is the app's own host name on Azure: the natural origin to announce.
                o.WebhookOrigin ??= string.IsNullOrWhiteSpace(config["WEBSITE_HOSTNAME"]) ? "serverlessmonitor" : config["WEBSITE_HOSTNAME"])
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<EventGridOptions>().BindConfiguration(EventGridOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Which sinks exist follows the configuration at start-up (a change takes a restart, like any app
        // setting). Only strings are bound here, which cannot fail; validation reports bad values by name.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{EventGridOptions.Section}:{nameof(EventGridOptions.TopicEndpoint)}"]))
        {
            services.AddSingleton<IAlertSink, EventGridAlertSink>();
        }
        var webhooks = builder.Configuration.GetSection($"{AlertsOptions.Section}:{nameof(AlertsOptions.Webhooks)}").Get<List<WebhookOptions>>() ?? [];
        if (webhooks.Any(h => !h.IsPlaceholder))
        {
            services.AddHttpClient(WebhookAlertSink.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        }
        foreach (var hook in webhooks.Where(h => !h.IsPlaceholder))
        {
            services.AddSingleton<IAlertSink>(sp => new WebhookAlertSink(hook, sp.GetRequiredService<IOptions<AlertsOptions>>(),
                sp.GetRequiredService<IHttpClientFactory>()));
        }

        services.AddSingleton<OutboxIndex>();
        services.AddSingleton<OutboxWriter>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<ITimerFunction, AlertsTimerFunction>();
        return builder;
    }
}
