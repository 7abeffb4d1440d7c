using System.Text.Json.Serialization;
using System.Text.Json;

namespace ServerlessMonitor.Subscriptions;

public static class WebhookSubscriptionsExtensions
{
    /// <summary>Webhook subscriptions for the public: the challenge, the guarded HTTP client and the channel (docs/SUBSCRIPTIONS.md).</summary>
    public static IHostApplicationBuilder AddWebhookSubscriptions(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebhookSubscriptionOptions>().BindConfiguration(WebhookSubscriptionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, WebhookJsonContext.Default));
        WebhookHttp.Add(services);
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookChallenge>();
        services.AddSingleton<ISubscriberChannel, WebhookChannel>();
        return builder;
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WebhookSubscribedDto))]
[JsonSerializable(typeof(WebhookSubscribeBody))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
