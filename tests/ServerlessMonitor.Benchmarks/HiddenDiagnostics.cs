using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Probing;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// The benchmark's own servers (the lab it probes, the OTLP sink it exports to) run in the process whose telemetry it
/// measures. OpenTelemetry's ASP.NET Core instrumentation listens by name process-wide, so without this every probe
/// request would also be a server span and a request metric of the probed site, exported by the monitor: costs of
/// the target and the collector, never the prober's. Renaming the servers' diagnostic listener, activity source and
/// meters keeps them out of the monitor's telemetry (nobody subscribes to these names); they serve the same answers.
/// </summary>
internal static class HiddenDiagnostics
{
    private const string Name = "ServerlessMonitor.Benchmarks.Unobserved";

    public static void Hide(IServiceCollection services)
    {
        services.AddSingleton(new DiagnosticListener(Name));
        services.AddSingleton<DiagnosticSource>(sp => sp.GetRequiredService<DiagnosticListener>());
        services.AddSingleton(new ActivitySource(Name));
        // Meters under a name no meter provider adds, so the servers' instruments are never enabled.
        services.AddSingleton<IMeterFactory, UnlistenedMeters>();
    }
}
