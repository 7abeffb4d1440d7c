using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// A loopback OTLP/HTTP endpoint that takes every export and drops it: with telemetry on, the benchmark pays for
/// recording, batching, serializing and sending, as it would against a collector next to it.
/// </summary>
internal sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _bytes;

    private OtlpSink(WebApplication app) => _app = app;

    public string Endpoint => _app.Urls.Single();

    public long Bytes => Interlocked.Read(ref _bytes);

    public static async Task<OtlpSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        // The exports it receives are the collector's work: not spans and metrics of the monitor being measured.
        HiddenDiagnostics.Hide(builder.Services);
        var sink = new OtlpSink(builder.Build());
        sink._app.MapPost("/v1/{signal}", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            Interlocked.Add(ref sink._bytes, body.Length);
            return Results.Bytes([], "application/x-protobuf");
        });
        await sink._app.StartAsync();
        return sink;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
