using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ServerlessMonitor.Telemetry;

/// <summary>
/// The instruments of what happens after the probes: the read snapshot, the alert outbox, user reports and the
/// self-check. Static on the monitor's meter like <see cref="MonitorTelemetry"/>'s, so nobody listening costs a
/// field read. Attribute values are catalog ids, configured sink names and closed sets only.
/// </summary>
public static class PipelineMetrics
{
    public const string Sink = "serverlessmonitor.sink";
    public const string Verdict = "serverlessmonitor.verdict";

    private static readonly Histogram<double> SnapshotDuration = MonitorTelemetry.Meter.CreateHistogram<double>(
        "serverlessmonitor.snapshot.build.duration", "s", "Read snapshot builds (every public answer rendered once)");

    private static readonly Histogram<long> SnapshotSize = MonitorTelemetry.Meter.CreateHistogram<long>(
        "serverlessmonitor.snapshot.size", "By", "Bytes of the answers in a built read snapshot",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864] });

    private static readonly Counter<long> Deliveries = MonitorTelemetry.Meter.CreateCounter<long>(
        "serverlessmonitor.outbox.deliveries", "{delivery}", "Alert deliveries to a sink, by outcome (delivered, failed)");

    private static readonly Gauge<long> Pending = MonitorTelemetry.Meter.CreateGauge<long>(
        "serverlessmonitor.outbox.pending", "{event}", "Alerts still due after the last dispatch pass (retrying or held behind an earlier one)");

    private static readonly Counter<long> Reports = MonitorTelemetry.Meter.CreateCounter<long>(
        "serverlessmonitor.reports", "{report}", "User problem reports received, by outcome (counted, duplicate, busy)");

    private static readonly Counter<long> Surges = MonitorTelemetry.Meter.CreateCounter<long>(
        "serverlessmonitor.reports.surges", "{surge}", "Report surges raised (one per service and surge)");

    private static readonly Gauge<int> SelfCheck = MonitorTelemetry.Meter.CreateGauge<int>(
        "serverlessmonitor.selfcheck.verdict", "{verdict}", "1 for the self-check's current verdict (online or offline), 0 for the other");

    public static void SnapshotBuilt(TimeSpan elapsed, long bytes)
    {
        SnapshotDuration.Record(elapsed.TotalSeconds);
        SnapshotSize.Record(bytes);
    }

    public static void Delivery(string sink, bool delivered) =>
        Deliveries.Add(1, new TagList { { Sink, sink }, { TelemetryAttributes.Outcome, delivered ? "delivered" : "failed" } });

    public static void OutboxPending(long pending) => Pending.Record(pending);

    public static void ReportReceived(string service, string outcome) =>
        Reports.Add(1, new TagList { { TelemetryAttributes.Service, service }, { TelemetryAttributes.Outcome, outcome } });

    public static void SurgeRaised(string service) => Surges.Add(1, new KeyValuePair<string, object?>(TelemetryAttributes.Service, service));

    public static void SelfCheckVerdict(string region, bool offline)
    {
        SelfCheck.Record(offline ? 0 : 1, new TagList { { TelemetryAttributes.Region, region }, { Verdict, "online" } });
        SelfCheck.Record(offline ? 1 : 0, new TagList { { TelemetryAttributes.Region, region }, { Verdict, "offline" } });
    }
}
