using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Storage;

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
            .Validate(o => string.IsNullOrEmpty(o.VapidPublicKey) == string.IsNullOrEmpty(o.VapidPrivateKey),
                "Subscriptions:VapidPublicKey and Subscriptions:VapidPrivateKey are set together (or neither)")
            .Validate(o => string.IsNullOrEmpty(o.VapidPublicKey) || VapidKeys.IsPublicKey(o.VapidPublicKey),
                "Subscriptions:VapidPublicKey must be the base64url of an uncompressed P-256 public key (65 bytes)")
            .Validate(o => string.IsNullOrEmpty(o.VapidPrivateKey) || VapidKeys.IsPrivateKey(o.VapidPrivateKey),
                "Subscriptions:VapidPrivateKey must be the base64url of a P-256 private key (32 bytes)")
            .Validate(o => o.VapidSubject.StartsWith("mailto:", StringComparison.Ordinal) || o.VapidSubject.StartsWith("https://", StringComparison.Ordinal),
                "Subscriptions:VapidSubject must be a mailto: or https: URL")
            .Validate<IConfiguration>((o, config) => !o.AllowLoopback || string.IsNullOrEmpty(config["WEBSITE_INSTANCE_ID"]),
                "Subscriptions:AllowLoopback is for tests on one machine and cannot be on in Azure")
            .PostConfigure<IServiceProvider>(StandaloneKeys)
            .ValidateOnStart();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, SubscriptionsJsonContext.Default));
        services.AddSingleton<SubscriptionStore>();
        services.AddSingleton<DeliveryPurge>();
        services.AddSingleton<SubscriberFanout>();
        services.AddSingleton<IAlertSink, SubscribersSink>();
        // No request logging: a push endpoint URL is the subscriber's address.
        services.AddSingleton<VapidTokenCache>();
        services.AddTransient<VapidAudienceHandler>();
        services.AddHttpClient(WebPushChannel.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10)).RemoveAllLoggers()
            .AddHttpMessageHandler<VapidAudienceHandler>();
        services.AddSingleton<ISubscriberChannel, WebPushChannel>();
        return builder;
    }

    /// <summary>Standalone without configured keys: the pair it made on its first run, kept beside its SQLite file.</summary>
    private static void StandaloneKeys(SubscriptionsOptions o, IServiceProvider services)
    {
        if (services.GetService<MonitorHost>() != MonitorHost.Standalone || !string.IsNullOrEmpty(o.VapidPublicKey) || !string.IsNullOrEmpty(o.VapidPrivateKey))
        {
            return;
        }
        var environment = services.GetRequiredService<IHostEnvironment>();
        var storage = services.GetRequiredService<IOptions<StorageOptions>>();
        var folder = Path.GetDirectoryName(Path.Combine(environment.ContentRootPath, storage.Value.SqlitePath)) ?? environment.ContentRootPath;
        var keys = VapidKeys.LoadOrCreate(Path.Combine(folder, o.VapidKeyFile));
        (o.VapidPublicKey, o.VapidPrivateKey) = (keys.PublicKey, keys.PrivateKey);
    }
}
