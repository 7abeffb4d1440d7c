using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMonitor.Alerts;

namespace ServerlessMonitor.Subscriptions;

public static class SubscriptionsExtensions
{
    /// <summary>
    /// Public subscriptions: their store, the fan-out and the outbox sink that runs it, and the channels.
    /// Needs the storage and alerts features.
    /// </summary>
    public static IHostApplicationBuilder AddSubscriptions(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SubscriptionsOptions>().BindConfiguration(SubscriptionsOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.BackoffMax >= o.BackoffBase, "Subscriptions:BackoffMax must not be shorter than Subscriptions:BackoffBase")
            .ValidateOnStart();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, SubscriptionsJsonContext.Default));
        services.AddSingleton<SubscriptionStore>();
        services.AddSingleton<SubscriberFanout>();
        services.AddSingleton<IAlertSink, SubscribersSink>();
        return builder;
    }
}
