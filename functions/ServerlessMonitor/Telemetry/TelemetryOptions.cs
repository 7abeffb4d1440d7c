using System.ComponentModel.DataAnnotations;

namespace ServerlessMonitor.Telemetry;

/// <summary>
/// What the monitor publishes beyond its own API. The exporters themselves are chosen by the platform's own
/// settings: <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> (Azure Monitor) and <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (OTLP).
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Standalone: serve the metrics for Prometheus at <c>/metrics</c>.</summary>
    public bool Prometheus { get; set; }

    /// <summary>
    /// Serve <c>/metrics</c> on this port of 127.0.0.1 only, without a key; unset, <c>/metrics</c> is on the app's own
    /// port behind the admin key (<c>X-Admin-Key</c>).
    /// </summary>
    [Range(1, 65535)]
    public int? PrometheusPort { get; set; }

    /// <summary>Probe metrics per endpoint, not only per service: at 10,000 endpoints that is 10,000 series per metric, so opt-in.</summary>
    public bool PerEndpointMetrics { get; set; }

    /// <summary>A span per probe request, as a child of the cycle's span (off: the cycle and shard spans, and the monitor's own calls).</summary>
    public bool ProbeSpans { get; set; }

    /// <summary>Every probe also written as an Application Insights availability result (through the Azure Monitor exporter).</summary>
    public bool AvailabilityResults { get; set; }
}
