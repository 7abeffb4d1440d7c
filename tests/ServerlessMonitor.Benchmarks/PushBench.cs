extern alias standalone;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using ServerlessMonitor.Hosting;
using standalone::ServerlessMonitor.Standalone;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// --push: the standalone app (its own wiring, Kestrel on loopback, SQLite) with N push endpoints, each with a token
/// from the admin API; after one warm-up round (first beats are judged at once, unknown -> up), every endpoint beats
/// at the same moment, round after round. Each beat is a token lookup by hash, a durable newest-wins write and a 200.
/// </summary>
internal static class PushBench
{
    private const int Port = 7183;
    private const string AdminKey = "bench-admin-key-0123456789";

    public static async Task RunAsync(IConfiguration options)
    {
        var endpoints = int.Parse(options["endpoints"] ?? "1000", CultureInfo.InvariantCulture);
        var rounds = int.Parse(options["rounds"] ?? "10", CultureInfo.InvariantCulture);
        var work = Directory.CreateTempSubdirectory("sm-push");
        var catalog = Path.Combine(work.FullName, "monitors.json");
        File.WriteAllText(catalog, Catalog(endpoints));
        await using var app = StartApp(catalog, work.FullName);
        await app.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };
        var tokens = await CreateTokensAsync(http, endpoints);
        await RoundAsync(http, tokens); // warm-up: the first beat of each endpoint is judged at once
        var latencies = new List<double>(endpoints * rounds);
        var wall = Stopwatch.StartNew();
        for (var r = 0; r < rounds; r++)
        {
            latencies.AddRange(await RoundAsync(http, tokens));
        }
        wall.Stop();
        latencies.Sort();
        Console.WriteLine(FormattableString.Invariant(
            $"BENCH push beats_per_s={latencies.Count / wall.Elapsed.TotalSeconds:F0} endpoints={endpoints} rounds={rounds} p50_ms={latencies[latencies.Count / 2]:F1} p99_ms={latencies[(int)(latencies.Count * 0.99)]:F1} backend=sqlite host=standalone"));
        await app.StopAsync();
        work.Delete(recursive: true);
    }

    /// <summary>Every endpoint beats at once; returns each beat's latency in ms. Anything but 200 fails the benchmark.</summary>
    private static async Task<double[]> RoundAsync(HttpClient http, IReadOnlyList<string> tokens) =>
        await Task.WhenAll(tokens.Select(async token =>
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync($"/api/push/{token}?status=up&msg=OK");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"beat answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }));

    private static async Task<string[]> CreateTokensAsync(HttpClient http, int endpoints)
    {
        var tokens = new string[endpoints];
        await Parallel.ForEachAsync(Enumerable.Range(0, endpoints), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/push/jobs-{i / 100}/job-{i % 100}/token");
            request.Headers.Add("X-Admin-Key", AdminKey);
            using var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            tokens[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!;
        });
        return tokens;
    }

    /// <summary>Services of 100 push endpoints each, expecting a beat every 5 minutes.</summary>
    private static string Catalog(int endpoints)
    {
        var services = Enumerable.Range(0, (endpoints + 99) / 100).Select(s =>
        {
            var jobs = Enumerable.Range(0, Math.Min(100, endpoints - s * 100))
                .Select(j => $$"""{ "id": "job-{{j}}", "kind": "push", "every": "00:05:00", "grace": "00:01:00" }""");
            return $$"""{ "id": "jobs-{{s}}", "name": "Jobs {{s}}", "endpoints": [ {{string.Join(", ", jobs)}} ] }""";
        });
        return $$"""{ "services": [ {{string.Join(",\n", services)}} ] }""";
    }

    private static WebApplication StartApp(string catalog, string work)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{Port}",
            ["Monitor:Catalog"] = catalog,
            ["Storage:SqlitePath"] = Path.Combine(work, "monitor.db"),
            // One cycle at start-up, no timer during the load: the beats alone are measured.
            ["Monitor:ProbeSchedule"] = "0 0 3 * * *",
            ["Alerts:Schedule"] = "0 0 3 * * *",
            ["Admin:Key"] = AdminKey,
            ["Push:BeatsPerMinute"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddMonitor(MonitorHost.Standalone);
        builder.AddStandaloneHosting();
        var app = builder.Build();
        app.UseStandaloneHttp();
        app.MapMonitorRoutes();
        return app;
    }
}
