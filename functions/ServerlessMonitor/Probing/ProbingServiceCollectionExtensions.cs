using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ServerlessMonitor.Probing;

internal static class ProbingServiceCollectionExtensions
{
    /// <summary>Registers one <see cref="IProber"/> per endpoint kind and the validated <see cref="ProbingOptions"/>.</summary>
    public static IServiceCollection AddProbers(this IServiceCollection services)
    {
        services.AddOptions<ProbingOptions>()
            .BindConfiguration(ProbingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(ProbeHttpDiagnostics.None);
        services.AddSingleton<IProber, HttpProber>();
        services.AddSingleton<IProber, TcpProber>();
        services.AddSingleton<IProber, DnsProber>();
        services.AddSingleton<IProber, TlsProber>();
        return services;
    }
}
