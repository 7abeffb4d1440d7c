using System.Net;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Probing;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// The HTTP client of webhook subscriptions. It resolves and connects by hand (<see cref="SocketConnector"/>, as probes
/// do) and connects only to addresses <see cref="WebhookUrl"/> allows, checked on the addresses the name resolves to at
/// that moment: a receiver whose name later points inside (DNS rebinding) gets no connection. Redirects are never
/// followed, no proxy, no cookies, and nothing is logged (the URL is the subscriber's address).
/// </summary>
internal static class WebhookHttp
{
    public const string ClientName = "subscriptions-webhook";

    /// <summary>Response headers read at most (KiB); bodies are read only by the challenge, and only up to its cap.</summary>
    private const int MaxHeadersKiB = 16;

    public static void Add(IServiceCollection services)
    {
        services.AddHttpClient(ClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<WebhookSubscriptionOptions>>().Value.WebhookTimeout)
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(Handler);
    }

    private static SocketsHttpHandler Handler(IServiceProvider services)
    {
        var allowLoopback = services.GetRequiredService<IOptions<SubscriptionsOptions>>().Value.AllowLoopback;
        var time = services.GetRequiredService<TimeProvider>();
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxResponseHeadersLength = MaxHeadersKiB,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = async (context, ct) =>
            {
                var connection = await SocketConnector.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, time, ct,
                    address => WebhookUrl.IsAllowed(address, allowLoopback));
                return new System.Net.Sockets.NetworkStream(connection.Socket, ownsSocket: true);
            },
        };
    }
}
