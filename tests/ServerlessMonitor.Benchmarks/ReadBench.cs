extern alias standalone;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OutageLab;
using ServerlessMonitor.Hosting;
using standalone::ServerlessMonitor.Standalone;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// --read: the standalone app (its own wiring, Kestrel on loopback) against a generated catalog on the
/// outage lab; once its first snapshot is up, wrk loads each snapshot route, then a bare Kestrel route that
/// sends the same bytes from memory (the physical limit for that payload). Storage reads during each load
/// come from the app's own metric serverlessmonitor.storage.reads, observed with a MeterListener: the app
/// runs in this process so nothing in it has to change for the benchmark.
/// </summary>
internal static partial class ReadBench
{
    private const int AppPort = 7181;
    private const int StaticPort = 7182;

    public static async Task RunAsync(IConfiguration options)
    {
        var endpoints = int.Parse(options["endpoints"] ?? "1000", CultureInfo.InvariantCulture);
        var duration = options["duration"] ?? "10s";
        await using var lab = await OutageLabServer.StartAsync(port: 0);
        var work = Directory.CreateTempSubdirectory("sm-read");
        var catalog = options["catalog"] ?? Path.Combine(work.FullName, "monitors.json");
        if (options["catalog"] is null)
        {
            File.WriteAllText(catalog, BenchCatalog.Build(lab, endpoints));
        }
        await using var app = StartApp(catalog, work.FullName);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{AppPort}") };
        long reads = 0;
        using var listener = ListenToReads(n => Interlocked.Add(ref reads, n));
        var service = await WaitForSnapshotAsync(http);
        await WaitForQuietAsync(() => Interlocked.Read(ref reads));
        var payloads = new Dictionary<string, (byte[] Body, string ContentType, string? Encoding)>();
        await using var bare = StartStatic(payloads);
        await bare.StartAsync();
        string[] routes = ["/api/status", $"/api/status/{service}", "/", $"/api/badges/{service}/status.svg"];
        foreach (var encoding in new string?[] { null, "br" })
        {
            foreach (var route in routes)
            {
                payloads[route] = await FetchAsync(http, route, encoding);
                var before = Interlocked.Read(ref reads);
                var appRps = Wrk($"http://127.0.0.1:{AppPort}{route}", encoding, duration);
                var storageReads = Interlocked.Read(ref reads) - before;
                var staticRps = Wrk($"http://127.0.0.1:{StaticPort}{route}", encoding, duration);
                Console.WriteLine(FormattableString.Invariant(
                    $"BENCH status_read route={route} encoding={encoding ?? "identity"} bytes={payloads[route].Body.Length} app_rps={appRps:F0} static_rps={staticRps:F0} ratio={appRps / staticRps:F2} storage_reads={storageReads}"));
            }
        }
        await app.StopAsync();
        work.Delete(recursive: true);
    }

    /// <summary>The standalone app exactly as its Program wires it, with the settings an operator would use.</summary>
    private static WebApplication StartApp(string catalog, string work)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{AppPort}",
            ["Monitor:Catalog"] = catalog,
            ["Storage:SqlitePath"] = Path.Combine(work, "monitor.db"),
            // One cycle at start-up (the timer's RunsAtStartup), no timer during the load.
            ["Monitor:ProbeSchedule"] = "0 0 3 * * *",
            ["Alerts:Schedule"] = "0 0 3 * * *",
            // wrk is one client address; the limiter still runs on every request.
            ["Web:RequestsPerMinute"] = "100000000",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddMonitor(MonitorHost.Standalone);
        builder.AddStandaloneHosting();
        var app = builder.Build();
        app.UseStandaloneHttp();
        app.MapMonitorRoutes();
        return app;
    }

    /// <summary>Snapshot answers carry Last-Modified; answers computed before the first snapshot do not.</summary>
    private static async Task<string> WaitForSnapshotAsync(HttpClient http)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.GetAsync("/api/status");
            if (response.Content.Headers.LastModified is not null)
            {
                var doc = await response.Content.ReadFromJsonAsync<JsonElement>();
                Console.WriteLine($"first snapshot after {clock.Elapsed.TotalSeconds:F1} s");
                return doc.GetProperty("services")[0].GetProperty("id").GetString()!;
            }
            await Task.Delay(250);
        }
    }

    /// <summary>The start-up probe cycle may still be recording and building when the first snapshot is up: wait until storage is idle.</summary>
    private static async Task WaitForQuietAsync(Func<long> reads)
    {
        var clock = Stopwatch.StartNew();
        for (var last = reads(); ; )
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            if (reads() == last)
            {
                Console.WriteLine($"storage idle after {clock.Elapsed.TotalSeconds:F1} s more");
                return;
            }
            last = reads();
        }
    }

    private static async Task<(byte[], string, string?)> FetchAsync(HttpClient http, string route, string? encoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, route);
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
        }
        using var response = await http.SendAsync(request);
        return (await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType!.ToString(),
            response.Content.Headers.ContentEncoding.SingleOrDefault());
    }

    /// <summary>A bare Kestrel route that sends the same bytes with the same content headers: the physical limit.</summary>
    private static WebApplication StartStatic(Dictionary<string, (byte[] Body, string ContentType, string? Encoding)> payloads)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{StaticPort}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(context =>
        {
            var (body, contentType, encoding) = payloads[context.Request.Path.Value!];
            context.Response.ContentType = contentType;
            context.Response.ContentLength = body.Length;
            if (encoding is not null)
            {
                context.Response.Headers.ContentEncoding = encoding;
            }
            return context.Response.Body.WriteAsync(body).AsTask();
        });
        return app;
    }

    internal static MeterListener ListenToReads(Action<long> add)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "serverlessmonitor.storage.reads")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => add(value));
        listener.Start();
        return listener;
    }

    private static double Wrk(string url, string? encoding, string duration)
    {
        var args = $"-t2 -c16 -d{duration} {(encoding is null ? "" : $"-H \"Accept-Encoding: {encoding}\" ")}{url}";
        using var wrk = Process.Start(new ProcessStartInfo("wrk", args) { RedirectStandardOutput = true })!;
        var output = wrk.StandardOutput.ReadToEnd();
        wrk.WaitForExit();
        if (output.Contains("Non-2xx", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"wrk saw error answers from {url}:\n{output}");
        }
        return double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();
}
