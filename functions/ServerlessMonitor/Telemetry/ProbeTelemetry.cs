using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Probing;

namespace ServerlessMonitor.Telemetry;

/// <summary>
/// Every confirmed probe as metrics (its duration, and a check counted by outcome and error kind) and, when
/// Telemetry:AvailabilityResults is on, as an availability result: a log record with the
/// <c>microsoft.availability.*</c> attributes that the Azure Monitor exporter turns into AvailabilityData.
/// Series are per service unless Telemetry:PerEndpointMetrics asks for one per endpoint.
/// </summary>
public sealed class ProbeTelemetry
{
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _checks;
    private readonly ProbeTagSets _tags;
    private readonly bool _availabilityResults;
    private readonly string _region;
    private readonly ILogger _availability;

    // From the container's meter factory (same meter name as MonitorTelemetry's), so an app's instruments go with the app.
    public ProbeTelemetry(IOptions<TelemetryOptions> options, IOptions<MonitorOptions> monitor, ILoggerFactory loggers, IMeterFactory meters,
        TelemetryExporters exporters)
    {
        var meter = meters.Create(MonitorTelemetry.Name);
        _duration = meter.CreateHistogram<double>("serverlessmonitor.probe.duration", "s",
            "Confirmed probes' total time (DNS, connect, TLS, first byte, body)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _checks = meter.CreateCounter<long>("serverlessmonitor.checks", "{check}", "Confirmed probes by outcome and error kind");
        var telemetry = options.Value;
        // Availability results are for Application Insights: without its exporter they would only be console noise.
        _availabilityResults = telemetry.AvailabilityResults && exporters.AzureMonitor;
        _region = monitor.Value.Region;
        _tags = new ProbeTagSets(_region, telemetry.PerEndpointMetrics);
        _availability = loggers.CreateLogger(AvailabilityCategory);
    }

    public const string AvailabilityCategory = "ServerlessMonitor.Availability";

    /// <summary>One confirmed probe of <paramref name="endpoint"/>.</summary>
    public void Probed(ServiceDefinition service, EndpointDefinition endpoint, Observation observation)
    {
        if (_duration.Enabled || _checks.Enabled)
        {
            ReadOnlySpan<KeyValuePair<string, object?>> tags = _tags.For(service, endpoint, observation.Outcome, observation.ErrorKind);
            _duration.Record(observation.Response.Timings.Total.TotalSeconds, tags);
            _checks.Add(1, tags);
        }
        if (_availabilityResults)
        {
            WriteAvailability(service, endpoint, observation);
        }
    }

    private void WriteAvailability(ServiceDefinition service, EndpointDefinition endpoint, Observation observation)
    {
        var success = observation.Outcome != ProbeOutcome.Down;
        var message = success ? TelemetryAttributes.Wire(observation.Outcome) : Cause(observation);
        KeyValuePair<string, object?>[] record =
        [
            new("microsoft.availability.id", Guid.NewGuid().ToString()),
            new("microsoft.availability.name", $"{service.Id}/{endpoint.Id}"),
            new("microsoft.availability.duration", observation.Response.Timings.Total.ToString("c", CultureInfo.InvariantCulture)),
            new("microsoft.availability.success", success ? "true" : "false"),
            new("microsoft.availability.runLocation", _region),
            new("microsoft.availability.message", message),
            new("microsoft.availability.testTimestamp", observation.CheckedAt.ToString("O", CultureInfo.InvariantCulture)),
        ];
        // An availability result is its own operation in Application Insights, not a log line of the cycle's trace (whose
        // sampling would otherwise decide whether the result exists).
        var cycle = Activity.Current;
        Activity.Current = null;
        try
        {
            _availability.Log(success ? LogLevel.Information : LogLevel.Warning, AvailabilityEvent, record, null, static (_, _) => "availability result");
        }
        finally
        {
            Activity.Current = cycle;
        }
    }

    private static readonly EventId AvailabilityEvent = new(2301, "AvailabilityResult");

    /// <summary>The likely cause as the incident would name it: "DNS failure: …", "server errors (5xx): HTTP 502".</summary>
    private static string Cause(Observation observation)
    {
        var finding = LikelyCause.Analyze(observation, baselineMs: null, inMaintenance: false);
        return $"{finding.Label}: {finding.Evidence}";
    }
}
