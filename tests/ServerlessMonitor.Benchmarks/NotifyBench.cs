using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OutageLab;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// --notify: every endpoint of every service goes down in one cycle; a Slack and a PagerDuty channel (loopback receivers
/// that count what they accept) must each get one message per service, not one per endpoint.
/// </summary>
internal static class NotifyBench
{
    public static async Task RunAsync(IConfiguration options)
    {
        var services = int.Parse(options["services"] ?? "100", CultureInfo.InvariantCulture);
        var perService = int.Parse(options["endpoints-per-service"] ?? "10", CultureInfo.InvariantCulture);
        await using var lab = await OutageLabServer.StartAsync(port: 0);
        var received = new Dictionary<string, int> { ["slack"] = 0, ["pagerduty"] = 0 };
        await using var receiver = await StartReceiverAsync(received);
        var work = Directory.CreateTempSubdirectory("sm-notify");
        var catalogPath = Path.Combine(work.FullName, "monitors.json");
        File.WriteAllText(catalogPath, Catalog(lab, services, perService));
        var root = receiver.Urls.Single();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Monitor:Catalog"] = catalogPath,
            ["Monitor:ConfirmationDelay"] = "00:00:00",
            ["Storage:Mode"] = "Sqlite",
            ["Storage:SqlitePath"] = Path.Combine(work.FullName, "notify.db"),
            ["Notifications:Channels:slack:Type"] = "slack",
            ["Notifications:Channels:slack:Url"] = $"{root}/services/T0/B0/bench",
            ["Notifications:Channels:slack:PerMinute"] = "600",
            ["Notifications:Channels:pagerduty:Type"] = "pagerduty",
            ["Notifications:Channels:pagerduty:BaseUrl"] = root,
            ["Notifications:Channels:pagerduty:RoutingKey"] = "benchroutingkey0123456789abcdefgh",
            ["Notifications:Channels:pagerduty:PerMinute"] = "600",
        });
        var clock = new SteppingClock();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddMonitor(MonitorHost.Standalone);
        builder.Services.RemoveAll<ICycleListener>();
        using var host = builder.Build();
        await host.StartAsync();
        var cycle = host.Services.GetRequiredService<ProbeCycle>();

        clock.Advance(TimeSpan.FromMinutes(1));
        await cycle.RunAsync(CancellationToken.None);
        for (var s = 0; s < services; s++)
        {
            for (var e = 0; e < perService; e++)
            {
                lab.Switches.Set($"n{s}-{e}", 500);
            }
        }
        clock.Advance(TimeSpan.FromMinutes(1));
        var timer = Stopwatch.StartNew();
        var report = await cycle.RunAsync(CancellationToken.None);
        timer.Stop();
        await host.StopAsync();

        lock (received)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"BENCH notify services={services} endpoints_per_service={perService} outage=all messages_per_channel={Math.Max(received["slack"], received["pagerduty"])} slack={received["slack"]} pagerduty={received["pagerduty"]} endpoints_down={report.Down} cycle_with_delivery_s={timer.Elapsed.TotalSeconds:F2}"));
        }
    }

    private static string Catalog(OutageLabServer lab, int services, int perService) =>
        $$"""{ "services": [ {{string.Join(",", Enumerable.Range(0, services).Select(s => $$"""
            { "id": "n{{s}}", "name": "Service {{s}}", "endpoints": [ {{string.Join(",", Enumerable.Range(0, perService).Select(e => $$"""
                { "id": "e{{e}}", "url": "{{lab.Http($"/switch/n{s}-{e}")}}", "failureThreshold": 1, "conditions": ["[STATUS] == 200"] }
                """))}} ] }
            """))}} ] }""";

    /// <summary>Counts accepted requests per provider: Slack webhook posts and PagerDuty trigger events.</summary>
    private static async Task<WebApplication> StartReceiverAsync(Dictionary<string, int> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async context =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var provider = context.Request.Path.StartsWithSegments("/v2/enqueue") ? "pagerduty" : "slack";
            lock (received)
            {
                received[provider]++;
            }
            context.Response.StatusCode = provider == "pagerduty" ? 202 : 200;
        });
        await app.StartAsync();
        return app;
    }
}
