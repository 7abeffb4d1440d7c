using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ServerlessMonitor.Tests.Telemetry;

/// <summary>
/// Application Insights' ingestion endpoint on loopback (the <c>IngestionEndpoint</c> of a connection string): takes the
/// exporter's gzip'd, newline-delimited envelopes at /v2.1/track and keeps them as JSON.
/// </summary>
public sealed class IngestionReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonObject> _envelopes = new();

    private IngestionReceiver(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public IEnumerable<JsonObject> Envelopes => _envelopes;

    /// <summary>The envelopes' AvailabilityData (their baseData).</summary>
    public IEnumerable<JsonObject> Availability => _envelopes
        .Where(e => e["data"]?["baseType"]?.GetValue<string>() == "AvailabilityData").Select(e => e["data"]!["baseData"]!.AsObject());

    /// <summary>
    /// A connection string that sends everything here; statsbeat (which would go to Azure) is off. The key is new each
    /// time: the exporter keeps unsent items on disk per key and would replay another run's.
    /// </summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = $"InstrumentationKey={Guid.NewGuid()};IngestionEndpoint={Endpoint}",
        ["APPLICATIONINSIGHTS_STATSBEAT_DISABLED"] = "true",
    };

    public static async Task<IngestionReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new IngestionReceiver(builder.Build());
        receiver._app.MapPost("/v2.1/track", receiver.TrackAsync);
        await receiver._app.StartAsync();
        receiver.Endpoint = new Uri(receiver._app.Urls.Single() + "/");
        return receiver;
    }

    /// <summary>Requests the receiver could not read (the test's failure message shows them).</summary>
    public ConcurrentQueue<string> Failures { get; } = new();

    private async Task<IResult> TrackAsync(HttpRequest request)
    {
        try
        {
            return await TrackCoreAsync(request);
        }
        catch (Exception e)
        {
            Failures.Enqueue(e.ToString());
            throw;
        }
    }

    private async Task<IResult> TrackCoreAsync(HttpRequest request)
    {
        var gzip = request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        using var body = gzip ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body;
        using var reader = new StreamReader(body);
        var count = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length > 0)
            {
                _envelopes.Enqueue(JsonNode.Parse(line)!.AsObject());
                count++;
            }
        }
        return Results.Json(new { itemsReceived = count, itemsAccepted = count, errors = Array.Empty<object>() });
    }

    public async Task WaitForAsync(Func<IngestionReceiver, bool> condition, string what, TimeSpan timeout, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"ingestion receiver: {what} did not arrive within {timeout}; envelope names: "
                    + string.Join(", ", _envelopes.Select(e => e["name"]?.GetValue<string>()).Distinct()) + "\n" + string.Join("\n", Failures)
                    + "\n" + context?.Invoke());
            }
            await Task.Delay(100);
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
