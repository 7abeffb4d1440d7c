using ServerlessMonitor.Probing;

namespace ServerlessMonitor.Push;

public static class PushExtensions
{
    public const string RequestLogCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// Heartbeat (push) endpoints: the prober that judges them by the clock in every probe cycle, the beat store and
    /// tokens, and the receiver behind /api/push (its routes are in <see cref="PushApi.Routes"/>, part of the route table).
    /// </summary>
    public static IHostApplicationBuilder AddPush(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PushOptions>().BindConfiguration(PushOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PushEndpoints>();
        builder.Services.AddSingleton<BeatStore>();
        builder.Services.AddSingleton<PushTokens>();
        builder.Services.AddSingleton<PushReceiver>();
        builder.Services.AddSingleton<IProber, PushProber>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, PushJsonContext.Default));
        // ASP.NET Core logs every request's URL at Information ("Request starting … /api/push/{token}"); the Functions
        // worker does so by default. A beat's URL is its credential, so those lines stay off whatever the log settings say.
        builder.Logging.AddFilter(RequestLogCategory, LogLevel.Warning);
        return builder;
    }
}
