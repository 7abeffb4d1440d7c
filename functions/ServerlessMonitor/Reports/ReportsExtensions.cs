using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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
            .Validate(o => o.AllowedOrigins.All(a => ReportRequestRules.Normalize(a) is not null),
                "Reports:AllowedOrigins entries must be origins such as https://partner.example (scheme, host and optional port; no path, no '*')")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReportsRateLimitFilter>();
        // Cross-site posts need a preflight; only the configured origins get one that lets the post through
        // (standalone; on Azure the function app's CORS setting answers preflights).
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<ReportsOptions>>((cors, reports) => cors.AddPolicy(ReportRequestRules.CorsPolicy,
            policy => policy.WithOrigins([.. reports.Value.AllowedOrigins.Select(a => ReportRequestRules.Normalize(a)!)])
                .WithMethods("POST").WithHeaders("Content-Type")));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ReportsJsonContext.Default));
        services.AddSingleton<ClientIdentity>();
        services.AddSingleton<ReportRecorder>();
        services.AddSingleton<ReportReader>();
        services.AddSingleton<SurgeAlerts>();
        return builder;
    }
}
