using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using OutageLab;
using ServerlessMonitor.Probing;
using static ServerlessMonitor.Tests.Probing.ProbeTestData;

namespace ServerlessMonitor.Tests.Probing;

/// <summary>
/// Probe requests and .NET's HttpClient diagnostics while something listens to them (as the OpenTelemetry
/// HttpClient instrumentation does): none by default, activities and traceparent with Telemetry:ProbeSpans.
/// The lab is this class's own, so its port tells our probes' measurements from other tests' requests.
/// </summary>
public sealed class ProbeHttpDiagnosticsTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private const string CycleSource = "ServerlessMonitor.Tests.ProbeHttpDiagnostics";

    private static readonly ActivitySource Cycle = new(CycleSource);

    private readonly OutageLabServer lab = fixture.Lab;

    [Fact]
    public async Task ProbeAsync_DiagnosticsNone_NoActivityNoTraceparentNoHttpClientMetrics()
    {
        using var seen = new HttpDiagnostics(lab.HttpPort);
        using var prober = HttpProber(diagnostics: ProbeHttpDiagnostics.None);
        using var parent = Cycle.StartActivity("cycle");

        var response = await prober.ProbeAsync(Http(lab.Http("/echo")), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        Assert.NotNull(parent);
        Assert.False(Headers(response.Body?.ToString()).TryGetProperty("traceparent", out _), response.Body?.ToString());
        Assert.Equal(0, seen.Activities);
        Assert.Equal(0, seen.Measurements);
    }

    [Fact]
    public async Task ProbeAsync_ProbeSpans_ActivityUnderTheCycleAndItsTraceparentSent()
    {
        using var seen = new HttpDiagnostics(lab.HttpPort);
        using var prober = HttpProber(diagnostics: new ProbeHttpDiagnostics(Spans: true));
        using var parent = Cycle.StartActivity("cycle")!;

        var response = await prober.ProbeAsync(Http(lab.Http("/echo")), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        var traceparent = Headers(response.Body?.ToString()).GetProperty("traceparent").GetString();
        Assert.Contains(parent.TraceId.ToHexString(), traceparent, StringComparison.Ordinal);
        Assert.Equal(1, seen.Activities);
        // The generic HttpClient metrics stay off either way: the probe metrics carry duration and outcome.
        Assert.Equal(0, seen.Measurements);
        // While a plain HttpClient's request to the same port is measured.
        using var http = new HttpClient();
        (await http.GetAsync(lab.Http("/healthy"))).Dispose();
        Assert.True(seen.Measurements > 0);
    }

    private static JsonElement Headers(string? echo) => JsonDocument.Parse(echo!).RootElement.GetProperty("headers");

    /// <summary>Listens to System.Net.Http's activities and metrics as OpenTelemetry would, counting those for one port.</summary>
    private sealed class HttpDiagnostics : IDisposable
    {
        private readonly ActivityListener _activities;
        private readonly MeterListener _meters = new();
        private int _activityCount;
        private int _measurementCount;

        public HttpDiagnostics(int port)
        {
            _activities = new ActivityListener
            {
                ShouldListenTo = s => s.Name is "System.Net.Http" or CycleSource,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a =>
                {
                    if (a.Source.Name == "System.Net.Http" && Equals(a.GetTagItem("server.port"), port))
                    {
                        Interlocked.Increment(ref _activityCount);
                    }
                },
            };
            ActivitySource.AddActivityListener(_activities);
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "System.Net.Http")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<long>((_, _, tags, _) => Count(tags, port));
            _meters.SetMeasurementEventCallback<double>((_, _, tags, _) => Count(tags, port));
            _meters.Start();
        }

        public int Activities => Volatile.Read(ref _activityCount);

        public int Measurements => Volatile.Read(ref _measurementCount);

        private void Count(ReadOnlySpan<KeyValuePair<string, object?>> tags, int port)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "server.port" && Equals(tag.Value, port))
                {
                    Interlocked.Increment(ref _measurementCount);
                }
            }
        }

        public void Dispose()
        {
            _activities.Dispose();
            _meters.Dispose();
        }
    }
}
