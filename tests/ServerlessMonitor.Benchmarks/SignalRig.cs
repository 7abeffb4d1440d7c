using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OutageLab;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// --signal: the false-alarm rig. The real engine (the app's DI, SQLite, the real probers, ProbeCycle) probes
/// 10 services × 2 endpoints on the lab's /chaos routes, where every request fails with probability
/// <c>--loss</c> (a mid-response reset, a 500 or a hang until the probe's timeout, in equal shares, from a
/// fixed seed). One endpoint has a real outage (500 to everything for 30 cycles from 30% of the run); the
/// monitor goes offline for 20 cycles from 70% (the lab stops, so every target and the control target
/// <c>Monitor:ControlTargets</c> refuse connections). The fake clock moves one interval per cycle and fires a
/// timeout only when every probe in flight hangs, so 10,000 cycles take a minute or so, not a week.
/// Everything is counted from the Endpoint.Down events in the outbox once the run is over.
/// </summary>
internal static class SignalRig
{
    private const int Services = 10;
    private const int EndpointsPerService = 2;
    private const string OutageService = "svc3";
    private const string OutageEndpoint = "e0";
    private const int OutageCycles = 30;
    private const int OfflineCycles = 20;
    /// <summary>Cycles after a window in which a Down still belongs to it (it takes the failure threshold, 3, to go down).</summary>
    private const int Grace = 5;
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task RunAsync(IConfiguration options)
    {
        var loss = double.Parse(options["loss"] ?? "0.05", Inv);
        var cycles = int.Parse(options["cycles"] ?? "10000", Inv);
        var seed = ulong.Parse(options["seed"] ?? "20261121", Inv);
        if (loss is < 0 or >= 1 || cycles < 100)
        {
            throw new ArgumentException("--loss must be in [0, 1) and --cycles at least 100");
        }
        var outage = (From: cycles * 3 / 10, To: cycles * 3 / 10 + OutageCycles);
        var offline = (From: cycles * 7 / 10, To: cycles * 7 / 10 + OfflineCycles);

        var clock = new SignalClock(Start - Interval);
        var hangs = new HangCoordinator(clock);
        var seen = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var chaos = new LabChaos { Loss = loss, Seed = seed };
        chaos.HangStarted += _ => hangs.HangStarted();
        var lab = await OutageLabServer.StartAsync(new OutageLabOptions { Chaos = chaos, Clock = clock });
        var labOptions = new OutageLabOptions { HttpPort = lab.HttpPort, HttpsPort = lab.HttpsPort, RefusedPort = lab.RefusedPort, Chaos = chaos, Clock = clock };
        var work = Directory.CreateTempSubdirectory("sm-signal");
        try
        {
            using var host = BuildHost(lab, work.FullName, clock, hangs, seen);
            await host.StartAsync();
            var engine = host.Services.GetRequiredService<ProbeCycle>();
            var watch = Stopwatch.StartNew();
            for (var k = 0; k < cycles; k++)
            {
                if (k == outage.From)
                {
                    chaos.Down[Target(OutageService, OutageEndpoint)] = true;
                }
                if (k == outage.To)
                {
                    chaos.Down.TryRemove(Target(OutageService, OutageEndpoint), out _);
                }
                if (k == offline.From)
                {
                    await lab.DisposeAsync();
                }
                if (k == offline.To)
                {
                    lab = await OutageLabServer.StartAsync(labOptions);
                }
                chaos.Round = k;
                clock.Advance(Interval);
                await engine.RunAsync(CancellationToken.None);
            }
            watch.Stop();
            var downs = await DownAlertsAsync(host.Services);
            await host.StopAsync();
            Console.WriteLine("signal attempts: " + string.Join(' ', seen.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}")));
            Report(loss, cycles, seed, outage, offline, downs, watch.Elapsed, hangs.Fired);
        }
        finally
        {
            await lab.DisposeAsync();
            work.Delete(recursive: true);
        }
    }

    private static IHost BuildHost(OutageLabServer lab, string work, SignalClock clock, HangCoordinator hangs,
        ConcurrentDictionary<string, int> seen)
    {
        var catalog = Path.Combine(work, "monitors.json");
        File.WriteAllText(catalog, Catalog(lab));
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Monitor:Catalog"] = catalog,
            ["Storage:Mode"] = "Sqlite",
            ["Storage:SqlitePath"] = Path.Combine(work, "signal.db"),
            // The confirming retry follows at once: its delay is real time, and what it confirms does not depend on it.
            ["Monitor:ConfirmationDelay"] = "00:00:00",
            // What the self-check compares with (DESIGN §4); the lab stops answering it while the monitor is offline.
            ["Monitor:ControlTargets:0"] = lab.Http("/healthy").ToString(),
            // Every alert of the run is still in the outbox at the end to be counted.
            ["Alerts:KeepDelivered"] = "365.00:00:00",
        });
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddMonitor(MonitorHost.Standalone);
        // Alerts are counted from the outbox; the read snapshot each cycle rebuilds would only cost time here.
        builder.Services.RemoveAll<ServerlessMonitor.Cycle.ICycleListener>();
        CountAttempts(builder.Services, hangs, seen);
        return builder.Build();
    }

    /// <summary>Each registered prober, created as the app would, wrapped to count its attempts.</summary>
    private static void CountAttempts(IServiceCollection services, HangCoordinator hangs, ConcurrentDictionary<string, int> seen)
    {
        foreach (var d in services.Where(d => d.ServiceType == typeof(Probing.IProber)).ToList())
        {
            services.Remove(d);
            services.AddSingleton<Probing.IProber>(sp => new CountingProber(
                (Probing.IProber)ActivatorUtilities.CreateInstance(sp, d.ImplementationType!), hangs, seen));
        }
    }

    private static string Catalog(OutageLabServer lab)
    {
        var services = Enumerable.Range(0, Services).Select(s => $$"""
            { "id": "svc{{s}}", "name": "Service {{s}}", "endpoints": [ {{string.Join(",", Enumerable.Range(0, EndpointsPerService).Select(e => $$"""
                { "id": "e{{e}}", "url": "{{lab.Http($"/chaos/{Target($"svc{s}", $"e{e}")}")}}", "interval": "00:01:00", "timeout": "00:00:02",
                  "conditions": ["[STATUS] == 200"] }
                """))}} ] }
            """);
        return $$"""{ "services": [ {{string.Join(",", services)}} ] }""";
    }

    private static string Target(string service, string endpoint) => $"{service}-{endpoint}";

    /// <summary>(partition, cycle) of every Endpoint.Down written to the outbox.</summary>
    private static async Task<List<(string Partition, int Cycle)>> DownAlertsAsync(IServiceProvider services)
    {
        var store = services.GetRequiredService<ITableStore>();
        var tables = services.GetRequiredService<MonitorTables>();
        var downs = new List<(string, int)>();
        for (var s = 0; s < Services; s++)
        {
            for (var e = 0; e < EndpointsPerService; e++)
            {
                var partition = MonitorTables.EndpointPartition($"svc{s}", $"e{e}");
                await foreach (var row in store.QueryAllAsync(tables.Endpoints, partition, OutboxRows.Range))
                {
                    if (OutboxRows.TryDeserialize(row.GetString(OutboxRows.EventProperty)) is { Type: AlertTypes.EndpointDown } alert)
                    {
                        downs.Add((partition, (int)((alert.Time - Start) / Interval)));
                    }
                }
            }
        }
        return downs;
    }

    private static void Report(double loss, int cycles, ulong seed, (int From, int To) outage, (int From, int To) offline,
        List<(string Partition, int Cycle)> downs, TimeSpan elapsed, int timeoutsFired)
    {
        var target = MonitorTables.EndpointPartition(OutageService, OutageEndpoint);
        bool InOutage((string Partition, int Cycle) d) => d.Partition == target && d.Cycle >= outage.From && d.Cycle < outage.To + Grace;
        bool InOffline((string Partition, int Cycle) d) => d.Cycle >= offline.From && d.Cycle < offline.To + Grace;
        var detected = downs.Where(InOutage).Select(d => d.Cycle).DefaultIfEmpty(-1).Min();
        var falseDowns = downs.Count(d => !InOutage(d) && !InOffline(d));
        var offlineDowns = downs.Count(InOffline);
        Console.WriteLine(string.Create(Inv,
            $"signal seed={seed} services={Services} endpoints={Services * EndpointsPerService} interval={Interval:c} outage={target}@{outage.From}..{outage.To} offline={offline.From}..{offline.To} down_alerts={downs.Count} timeout_firings={timeoutsFired} elapsed_s={elapsed.TotalSeconds:F1}"));
        Console.WriteLine(string.Create(Inv,
            $"BENCH signal loss={loss:F2} cycles={cycles} false_down_alerts={falseDowns} missed_outages={(detected < 0 ? 1 : 0)} detection_cycles={(detected < 0 ? -1 : detected - outage.From)} offline_false_down={offlineDowns}"));
    }
}
