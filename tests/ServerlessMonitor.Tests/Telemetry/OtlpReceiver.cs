using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Tests.Telemetry.Otlp;

namespace ServerlessMonitor.Tests.Telemetry;

/// <summary>
/// An OTLP/HTTP receiver on loopback (what a collector offers at :4318): takes the protobuf exports at /v1/traces,
/// /v1/metrics and /v1/logs and keeps them decoded for the test to read.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ExportTraceServiceRequest> _traces = new();
    private readonly ConcurrentQueue<ExportMetricsServiceRequest> _metrics = new();
    private readonly ConcurrentQueue<ExportLogsServiceRequest> _logs = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The settings that point an app at this receiver, exporting often enough for a test.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
    };

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new OtlpReceiver(builder.Build());
        receiver._app.MapPost("/v1/traces", (HttpRequest r) => Take(r, ExportTraceServiceRequest.Parser, receiver._traces));
        receiver._app.MapPost("/v1/metrics", (HttpRequest r) => Take(r, ExportMetricsServiceRequest.Parser, receiver._metrics));
        receiver._app.MapPost("/v1/logs", (HttpRequest r) => Take(r, ExportLogsServiceRequest.Parser, receiver._logs));
        await receiver._app.StartAsync();
        receiver.Endpoint = new Uri(receiver._app.Urls.Single());
        return receiver;
    }

    private static async Task<IResult> Take<T>(HttpRequest request, MessageParser<T> parser, ConcurrentQueue<T> into) where T : IMessage<T>
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        into.Enqueue(parser.ParseFrom(body.ToArray()));
        // An empty Export*ServiceResponse: full success.
        return Results.Bytes([], "application/x-protobuf");
    }

    public IEnumerable<Span> Spans => _traces.SelectMany(t => t.ResourceSpans).SelectMany(r => r.ScopeSpans).SelectMany(s => s.Spans);

    public IEnumerable<Metric> Metrics => _metrics.SelectMany(m => m.ResourceMetrics).SelectMany(r => r.ScopeMetrics).SelectMany(s => s.Metrics);

    public IEnumerable<Resource> MetricResources => _metrics.SelectMany(m => m.ResourceMetrics).Select(r => r.Resource);

    public IEnumerable<LogRecord> Logs => _logs.SelectMany(l => l.ResourceLogs).SelectMany(r => r.ScopeLogs).SelectMany(s => s.LogRecords);

    /// <summary>Waits until <paramref name="condition"/> holds over what arrived, or fails with <paramref name="what"/>.</summary>
    public async Task WaitForAsync(Func<OtlpReceiver, bool> condition, string what, TimeSpan timeout, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"OTLP receiver: {what} did not arrive within {timeout}; metrics seen: "
                    + string.Join(", ", Metrics.Select(m => m.Name).Distinct()) + "; spans seen: " + string.Join(", ", Spans.Select(s => s.Name).Distinct())
                    + "\n" + context?.Invoke());
            }
            await Task.Delay(100);
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>Reading OTLP attributes.</summary>
public static class OtlpAttributes
{
    public static Dictionary<string, string> ToDictionary(this IEnumerable<KeyValue> attributes) =>
        attributes.GroupBy(a => a.Key).ToDictionary(g => g.Key, g => Text(g.Last().Value));

    public static string Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "",
    };

    public static IEnumerable<IReadOnlyDictionary<string, string>> PointAttributes(this Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Select(p => p.Attributes.ToDictionary()),
        Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Select(p => p.Attributes.ToDictionary()),
        Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Select(p => p.Attributes.ToDictionary()),
        _ => [],
    };
}
