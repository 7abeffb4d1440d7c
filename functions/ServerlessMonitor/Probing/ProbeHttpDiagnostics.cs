using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http;

namespace ServerlessMonitor.Probing;

/// <summary>
/// How much of .NET's own HttpClient diagnostics a probe request produces. By default none: no activity (so no span
/// to create and then drop, and no traceparent header sent to the probed site) and its System.Net.Http metrics on a
/// meter nobody listens to. The probe metrics (<c>serverlessmonitor.probe.duration</c>, <c>.checks</c>) already say what
/// they would, per service instead of per URL; with telemetry on, these diagnostics were most of a probe's added cost.
/// <see cref="Spans"/> (Telemetry:ProbeSpans) brings the activities back, for a span per probe request.
/// </summary>
public sealed record ProbeHttpDiagnostics(bool Spans)
{
    public static readonly ProbeHttpDiagnostics None = new(Spans: false);

    /// <summary>Sets <paramref name="handler"/> up accordingly; <paramref name="meters"/> are the handler's to dispose with it.</summary>
    internal void Apply(SocketsHttpHandler handler, UnlistenedMeters meters)
    {
        // Without a propagator SocketsHttpHandler leaves its DiagnosticsHandler out: no activity, no header.
        handler.ActivityHeadersPropagator = Spans ? DistributedContextPropagator.Current : null;
        handler.MeterFactory = meters;
    }
}

/// <summary>
/// Meters under a name no meter provider subscribes to (System.Net.Http asks for "System.Net.Http"), so the
/// instruments of the handlers using it are never enabled and record nothing. Public for the benchmark, whose in-process
/// servers use it to stay out of the telemetry it measures.
/// </summary>
public sealed class UnlistenedMeters : IMeterFactory
{
    public const string MeterName = "ServerlessMonitor.Probing.Unlistened";

    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(MeterName) { Version = options.Version });
        lock (_meters)
        {
            _meters.Add(meter);
        }
        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            _meters.ForEach(m => m.Dispose());
            _meters.Clear();
        }
    }
}
