using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;

namespace ServerlessMonitor.Telemetry;

/// <summary>
/// The attribute names every instrument uses, and the closed sets' wire values. Every value here comes from the
/// catalog or an enum: never a URL, a token or anything a visitor typed.
/// </summary>
public static class TelemetryAttributes
{
    public const string Service = "serverlessmonitor.service";
    public const string Endpoint = "serverlessmonitor.endpoint";
    public const string EndpointKind = "serverlessmonitor.endpoint.kind";
    public const string Region = "serverlessmonitor.region";
    public const string Outcome = "serverlessmonitor.outcome";
    public const string Status = "serverlessmonitor.status";

    /// <summary>OpenTelemetry's own name for a failure's class (here the probe's error kind).</summary>
    public const string ErrorType = "error.type";

    public static string Wire(ProbeOutcome outcome) => outcome switch
    {
        ProbeOutcome.Up => "up",
        ProbeOutcome.Degraded => "degraded",
        _ => "down",
    };

    public static string Wire(ErrorKind kind) => kind switch
    {
        ErrorKind.HttpStatus => "http-status",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static string Wire(EndpointKind kind) => kind.ToString().ToLowerInvariant();
}
