using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Telemetry;

namespace ServerlessMonitor.Tests.Telemetry;

/// <summary>
/// The probe metrics as a listener sees them: the attributes each probe records with, and that a steady probe records
/// them without allocating (its attribute set is built once per endpoint, not per probe).
/// </summary>
public sealed class ProbeTelemetryTests
{
    private static readonly ServiceDefinition Service = new("shop", "Shop", "web",
        [new EndpointDefinition { Id = "api", Kind = EndpointKind.Http, Url = new Uri("http://127.0.0.1:9/private?token=secret") }]);

    private static EndpointDefinition Api => Service.Endpoints[0];

    [Fact]
    public void Probed_FailedProbe_RecordsServiceRegionKindOutcomeAndErrorType()
    {
        using var rig = new Rig(perEndpoint: false);

        rig.Telemetry.Probed(Service, Api, Observed(ProbeOutcome.Down, ErrorKind.HttpStatus));

        var expected = new Dictionary<string, object?>
        {
            ["serverlessmonitor.service"] = "shop", ["serverlessmonitor.region"] = "eu-1", ["serverlessmonitor.endpoint.kind"] = "http",
            ["serverlessmonitor.outcome"] = "down", ["error.type"] = "http-status",
        };
        Assert.Equal(["serverlessmonitor.checks", "serverlessmonitor.probe.duration"], rig.Recorded.Select(r => r.Instrument).Order());
        Assert.All(rig.Recorded, r => Assert.Equal(expected, r.Tags));
    }

    [Fact]
    public void Probed_PerEndpointMetrics_AddsTheEndpointAndNoErrorTypeWhenUp()
    {
        using var rig = new Rig(perEndpoint: true);

        rig.Telemetry.Probed(Service, Api, Observed(ProbeOutcome.Up, error: null));

        Assert.All(rig.Recorded, r =>
        {
            Assert.Equal("api", r.Tags["serverlessmonitor.endpoint"]);
            Assert.Equal("up", r.Tags["serverlessmonitor.outcome"]);
            Assert.False(r.Tags.ContainsKey("error.type"));
            Assert.DoesNotContain(r.Tags.Values, v => v is string s && s.Contains("token", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void Probed_OutcomeChangesBetweenProbes_EachProbeCarriesItsOwnOutcome()
    {
        using var rig = new Rig(perEndpoint: false);

        rig.Telemetry.Probed(Service, Api, Observed(ProbeOutcome.Up, error: null));
        rig.Telemetry.Probed(Service, Api, Observed(ProbeOutcome.Down, ErrorKind.Timeout));
        rig.Telemetry.Probed(Service, Api, Observed(ProbeOutcome.Degraded, error: null));

        var checks = rig.Recorded.Where(r => r.Instrument == "serverlessmonitor.checks").ToList();
        Assert.Equal(["up", "down", "degraded"], checks.Select(c => c.Tags["serverlessmonitor.outcome"]));
        Assert.Equal([null, "timeout", null], checks.Select(c => c.Tags.GetValueOrDefault("error.type")));
    }

    [Fact]
    public void Probed_SteadyEndpoint_RecordsWithoutAllocating()
    {
        using var rig = new Rig(perEndpoint: true, keep: false);
        var up = Observed(ProbeOutcome.Up, error: null);
        var down = Observed(ProbeOutcome.Down, ErrorKind.Refused);
        rig.Telemetry.Probed(Service, Api, up);
        rig.Telemetry.Probed(Service, Api, down);

        var seen = rig.Measurements;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            rig.Telemetry.Probed(Service, Api, i % 2 == 0 ? up : down);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(2_000, rig.Measurements - seen);
        Assert.Equal(0, allocated);
    }

    private static Observation Observed(ProbeOutcome outcome, ErrorKind? error) => new(outcome,
        new ProbeResponse { Timings = new(null, null, null, null, TimeSpan.FromMilliseconds(120)) }, [], error is null ? null : "failed", error,
        DateTimeOffset.UnixEpoch, 1);

    /// <summary>A ProbeTelemetry on its own meter factory, and a listener to that factory's instruments only.</summary>
    private sealed class Rig : IDisposable
    {
        private readonly ServiceProvider _services;
        private readonly MeterListener _listener = new();
        private readonly bool _keep;
        private int _measurements;

        public Rig(bool perEndpoint, bool keep = true)
        {
            _keep = keep;
            _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            var meters = _services.GetRequiredService<IMeterFactory>();
            Telemetry = new ProbeTelemetry(Options.Create(new TelemetryOptions { PerEndpointMetrics = perEndpoint }),
                Options.Create(new MonitorOptions { Region = "eu-1" }), NullLoggerFactory.Instance, meters, new TelemetryExporters(false, true, false));
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Seen(instrument, tags));
            _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Seen(instrument, tags));
            _listener.Start();
        }

        public ProbeTelemetry Telemetry { get; }

        public List<(string Instrument, Dictionary<string, object?> Tags)> Recorded { get; } = [];

        public int Measurements => _measurements;

        private void Seen(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            _measurements++;
            if (_keep)
            {
                Recorded.Add((instrument.Name, new Dictionary<string, object?>(tags.ToArray())));
            }
        }

        public void Dispose()
        {
            _listener.Dispose();
            _services.Dispose();
        }
    }
}
