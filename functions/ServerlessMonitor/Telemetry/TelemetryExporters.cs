using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Telemetry;

/// <summary>Which exporters the settings turn on.</summary>
public sealed record TelemetryExporters(bool AzureMonitor, bool Otlp, bool Prometheus)
{
    public bool Any => AzureMonitor || Otlp || Prometheus;

    public static TelemetryExporters From(IConfiguration configuration, MonitorHost host) => new(
        !string.IsNullOrWhiteSpace(configuration[TelemetryExtensions.AzureMonitorSetting]),
        !string.IsNullOrWhiteSpace(configuration[TelemetryExtensions.OtlpSetting]),
        // The Functions host serves HTTP only through functions; Prometheus is standalone's.
        !host.BehindFunctionsHost && configuration.GetValue<bool>($"{TelemetryOptions.Section}:{nameof(TelemetryOptions.Prometheus)}"));
}
