using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Reports;

public static class ReportsExtensions
{
    /// <summary>
    /// Report options, the per-address rate limit on submissions, the recorder, reader and surge alerts,
    /// and the feature's JSON types. Needs the storage, catalog and alerts features.
    /// </summary>
    public static IHostApplicationBuilder AddReports(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ReportsOptions>().BindConfiguration(ReportsOptions.Section)
            .PostConfigure<MonitorHost>((o, host) =>
                // Behind the Functions host the peer is the host on loopback, and the client is in X-Forwarded-For.
                o.TrustForwardedFor ??= host.BehindFunctionsHost)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ReportsRateLimitFilter>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ReportsJsonContext.Default));
        services.AddSingleton<ClientIdentity>();
        services.AddSingleton<ReportRecorder>();
        services.AddSingleton<ReportReader>();
        services.AddSingleton<SurgeAlerts>();
        return builder;
    }
}
