using System.Diagnostics.Metrics;
using ServerlessMonitor.Telemetry;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Reports;

/// <summary>
/// The reports' metrics as an OpenTelemetry meter provider would see them: a surge counts once on
/// <c>serverlessmonitor.reports.surges</c>, however many reports keep it going. The service id is this test's own,
/// so tests running beside it on the same (static) meter do not count here.
/// </summary>
public class ReportsSurgeMetricsTests
{
    private const string Service = "surge-metrics";
    private const string Catalog = """{"services":[{"id":"surge-metrics","name":"Surge metrics","endpoints":[{"id":"web","url":"http://127.0.0.1:9/"}]}]}""";

    [Fact]
    public async Task Post_SurgeFromManyNetworks_CountsOneSurgeAndEveryReportByOutcome()
    {
        using var meters = new ServiceMeasurements(Service);
        await using var app = new MonitorAppFactory(Catalog, ReportsHarness.Settings());

        for (var i = 0; i < 4; i++)
        {
            (await app.ClientFrom($"203.0.{i}.9").PostAsync("feed", userAgent: $"client-{i}", service: Service)).EnsureSuccessStatusCode();
        }
        Assert.Equal(0, meters.Sum("serverlessmonitor.reports.surges"));

        // The fifth distinct network tips it over; the reports after it continue the same surge.
        for (var i = 4; i < 9; i++)
        {
            (await app.ClientFrom($"203.0.{i}.9").PostAsync("login", userAgent: $"client-{i}", service: Service)).EnsureSuccessStatusCode();
        }

        Assert.Equal(1, meters.Sum("serverlessmonitor.reports.surges"));
        Assert.Equal(9, meters.Sum("serverlessmonitor.reports", ("serverlessmonitor.outcome", "counted")));
    }

    /// <summary>Sums the long measurements of the monitor's meter whose service attribute is <paramref name="service"/>.</summary>
    private sealed class ServiceMeasurements : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Instrument, long Value, Dictionary<string, string?> Tags)> _seen = [];

        public ServiceMeasurements(string service)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MonitorTelemetry.Meter.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var all = new Dictionary<string, string?>();
                foreach (var tag in tags)
                {
                    all[tag.Key] = tag.Value?.ToString();
                }
                if (all.GetValueOrDefault(TelemetryAttributes.Service) == service)
                {
                    lock (_seen)
                    {
                        _seen.Add((instrument.Name, value, all));
                    }
                }
            });
            _listener.Start();
        }

        public long Sum(string instrument, params (string Key, string Value)[] having)
        {
            lock (_seen)
            {
                return _seen.Where(m => m.Instrument == instrument && having.All(h => m.Tags.GetValueOrDefault(h.Key) == h.Value)).Sum(m => m.Value);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
