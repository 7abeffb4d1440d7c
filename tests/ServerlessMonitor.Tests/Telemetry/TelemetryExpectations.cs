using ServerlessMonitor.Tests.Telemetry.Otlp;

namespace ServerlessMonitor.Tests.Telemetry;

/// <summary>What both hosts must export for a lab cycle (<see cref="TelemetryLab"/>), asserted the same way for each.</summary>
public static class TelemetryExpectations
{
    public static bool HasProbeMetrics(OtlpReceiver r, string prefix) =>
        Points(r, "serverlessmonitor.checks").Any(p => p.GetValueOrDefault("serverlessmonitor.service") == $"{prefix}-down")
        && Points(r, "serverlessmonitor.probe.duration").Any(p => p.GetValueOrDefault("serverlessmonitor.service") == $"{prefix}-up")
        && Points(r, "serverlessmonitor.endpoint.status").Any(p => p.GetValueOrDefault("serverlessmonitor.service") == $"{prefix}-down")
        && r.Metrics.Any(m => m.Name == "serverlessmonitor.cycle.duration");

    public static void AssertProbeMetrics(OtlpReceiver r, string prefix, string region)
    {
        var duration = r.Metrics.First(m => m.Name == "serverlessmonitor.probe.duration");
        Assert.Equal(("s", Metric.DataOneofCase.Histogram), (duration.Unit, duration.DataCase));
        var up = Points(r, "serverlessmonitor.probe.duration").First(p => p.GetValueOrDefault("serverlessmonitor.service") == $"{prefix}-up");
        Assert.Equal((region, "http", "up"), (up["serverlessmonitor.region"], up["serverlessmonitor.endpoint.kind"], up["serverlessmonitor.outcome"]));
        // Per service by default: no endpoint attribute (Telemetry:PerEndpointMetrics is off).
        Assert.False(up.ContainsKey("serverlessmonitor.endpoint"));

        var checks = r.Metrics.First(m => m.Name == "serverlessmonitor.checks");
        Assert.Equal(("{check}", true), (checks.Unit, checks.Sum.IsMonotonic));
        var down = Points(r, "serverlessmonitor.checks").First(p => p.GetValueOrDefault("serverlessmonitor.service") == $"{prefix}-down");
        Assert.Equal(("down", "refused"), (down["serverlessmonitor.outcome"], down["error.type"]));

        var status = r.Metrics.First(m => m.Name == "serverlessmonitor.endpoint.status");
        Assert.Equal("{endpoint}", status.Unit);
        Assert.Contains(Points(r, "serverlessmonitor.endpoint.status"), p => p.GetValueOrDefault("serverlessmonitor.service") == $"{prefix}-down"
            && p.GetValueOrDefault("serverlessmonitor.status") == "down");
        Assert.Contains(r.Metrics, m => m.Name == "serverlessmonitor.cycle.duration" && m.Unit == "s");
    }

    /// <summary>No metric attribute holds a URL; the token in a probed URL and a visitor's text appear nowhere at all.</summary>
    public static void AssertNothingLeaks(OtlpReceiver r, params string[] secrets)
    {
        var metricValues = r.Metrics.SelectMany(m => m.PointAttributes()).SelectMany(p => p.Values).ToList();
        Assert.DoesNotContain(metricValues, v => v.Contains("://", StringComparison.Ordinal));
        var everything = metricValues
            .Concat(r.Spans.SelectMany(s => s.Attributes.ToDictionary().Values.Append(s.Name)))
            .Concat(r.Logs.SelectMany(l => l.Attributes.ToDictionary().Values.Append(OtlpAttributes.Text(l.Body))))
            .ToList();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(everything, v => v.Contains(secret, StringComparison.Ordinal));
        }
    }

    public static IEnumerable<IReadOnlyDictionary<string, string>> Points(OtlpReceiver r, string metric) =>
        r.Metrics.Where(m => m.Name == metric).SelectMany(m => m.PointAttributes());
}
