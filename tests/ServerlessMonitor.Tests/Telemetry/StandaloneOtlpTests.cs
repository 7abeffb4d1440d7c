using System.Net.Http.Json;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.Telemetry.Otlp;

namespace ServerlessMonitor.Tests.Telemetry;

/// <summary>The standalone app as operators start it, with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a receiver of the test's own.</summary>
public sealed class StandaloneOtlpTests(OutageLabFixture lab) : IClassFixture<OutageLabFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task LabCycle_OtlpEndpointSet_ExportsProbeMetricsAndTheCycleTraceWithoutUrlsOrUserText()
    {
        const string prefix = "otlp-sa";
        const string userText = "my feed is empty 7f3e";
        await using var otlp = await OtlpReceiver.StartAsync();
        using var dir = new TempDirectory();
        var port = AppProcess.FreePort();
        var settings = otlp.Settings();
        settings["Monitor__Catalog"] = dir.Write("monitors.json", TelemetryLab.Catalog(lab.Lab, prefix));
        settings["Storage__SqlitePath"] = dir.File("m.db");
        settings["Monitor__ConfirmationDelay"] = "00:00:00";
        settings["Telemetry__ProbeSpans"] = "true";
        // An alert sink and a dispatch sweep every 5 s, for the outbox metrics.
        settings["Alerts__Webhooks__0__Url"] = lab.Lab.Http("/echo").ToString();
        settings["Alerts__Schedule"] = "*/5 * * * * *";
        settings["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        await using var app = AppProcess.Start(settings);
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        await app.WaitUntilHealthyAsync(baseUri, Wait);
        using var http = new HttpClient { BaseAddress = baseUri };
        (await http.PostAsJsonAsync($"/api/services/{prefix}-up/reports", new { kind = "feed", message = userText })).EnsureSuccessStatusCode();

        await otlp.WaitForAsync(r => TelemetryExpectations.HasProbeMetrics(r, prefix) && r.Spans.Any(s => s.Name == "probe cycle")
            && r.Metrics.Any(m => m.Name == "http.server.request.duration") && TelemetryExpectations.HasPipelineMetrics(r),
            "the lab cycle's metrics and trace", Wait, () => app.Output);

        TelemetryExpectations.AssertProbeMetrics(otlp, prefix, region: "local");
        TelemetryExpectations.AssertPipelineMetrics(otlp, prefix, region: "local");
        var cycle = otlp.Spans.First(s => s.Name == "probe cycle");
        // With Telemetry:ProbeSpans the probes' HTTP requests are children of the cycle's span, in its trace.
        Assert.Contains(otlp.Spans, s => s.TraceId == cycle.TraceId && s.ParentSpanId == cycle.SpanId && s.Kind == 3 /* client */);
        Assert.Contains(otlp.Metrics, m => m.Name == "serverlessmonitor.storage.reads");
        TelemetryExpectations.AssertNothingLeaks(otlp, TelemetryLab.UrlToken, userText);
    }
}
