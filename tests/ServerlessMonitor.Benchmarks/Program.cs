using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OutageLab;
using ServerlessMonitor;
using ServerlessMonitor.Admin;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Benchmarks;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

// Usage: dotnet run -c Release --project tests/ServerlessMonitor.Benchmarks -- [--endpoints 200] [--cycles 10]
//        [--concurrency 16] [--connection-string "<Azure Tables / Azurite connection string>"]
//        dotnet run -c Release --project tests/ServerlessMonitor.Benchmarks -- --read [--endpoints 1000] [--catalog monitors.json] [--duration 10s]
//        dotnet run -c Release --project tests/ServerlessMonitor.Benchmarks -- --signal [--loss 0.05] [--cycles 10000] [--seed 20261121]
var options = new ConfigurationBuilder().AddCommandLine(args.Where(a => a is not ("--read" or "--signal")).ToArray()).Build();
if (args.Contains("--read"))
{
    await ReadBench.RunAsync(options);
    return;
}
if (args.Contains("--signal"))
{
    await SignalRig.RunAsync(options);
    return;
}
var endpoints = int.Parse(options["endpoints"] ?? "200");
var cycles = int.Parse(options["cycles"] ?? "10");
var concurrency = int.Parse(options["concurrency"] ?? "16");
var connectionString = options["connection-string"];

await using var lab = await OutageLabServer.StartAsync(port: 0);
var work = Directory.CreateTempSubdirectory("sm-bench");
var catalogPath = Path.Combine(work.FullName, "monitors.json");
File.WriteAllText(catalogPath, BenchCatalog.Build(lab, endpoints));

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Monitor:Catalog"] = catalogPath,
    ["Monitor:MaxConcurrency"] = concurrency.ToString(),
    ["Storage:Mode"] = connectionString is null ? "Sqlite" : "Tables",
    ["Storage:SqlitePath"] = Path.Combine(work.FullName, "bench.db"),
    ["Storage:ConnectionString"] = connectionString,
    ["Storage:TablePrefix"] = "bench" + Guid.NewGuid().ToString("N")[..8],
});
var clock = new SteppingClock();
builder.Services.AddSingleton<TimeProvider>(clock);
builder.AddMonitor(MonitorHost.Standalone);
builder.Services.Decorate();
using var host = builder.Build();
await host.StartAsync();
var cycle = host.Services.GetRequiredService<ProbeCycle>();
var counter = host.Services.GetRequiredService<CountingTableStore>();

// Warm-up: first cycle reads every state row once, JIT, connection pools.
await cycle.RunAsync(CancellationToken.None);
counter.Reset();
var engine = Stopwatch.StartNew();
var probed = 0;
for (var i = 0; i < cycles; i++)
{
    clock.Advance(TimeSpan.FromMinutes(1));
    probed += (await cycle.RunAsync(CancellationToken.None)).Probed;
}
engine.Stop();
var txPerProbe = (double)counter.Transactions / probed;
var readsPerProbe = (double)counter.Reads / probed;
var writeMsPerProbe = counter.WriteTime.TotalMilliseconds / probed;

// The same requests with a bare HttpClient loop at the same concurrency: the floor the engine is compared to.
using var http = new HttpClient();
var urls = Enumerable.Range(0, endpoints).Select(i => lab.Http($"/healthy?e={i}")).ToList();
await BareLoop.RunAsync(http, urls, concurrency);
var bare = Stopwatch.StartNew();
for (var i = 0; i < cycles; i++)
{
    await BareLoop.RunAsync(http, urls, concurrency);
}
bare.Stop();

var enginePerS = probed / engine.Elapsed.TotalSeconds;
var barePerS = endpoints * cycles / bare.Elapsed.TotalSeconds;
await host.StopAsync();
work.Delete(recursive: true);

var backend = connectionString is null ? "sqlite" : "tables";
Console.WriteLine($"BENCH table_tx_per_probe value={txPerProbe:F3} reads_per_probe={readsPerProbe:F3} write_ms_per_probe={writeMsPerProbe:F2} backend={backend} probes={probed}");
Console.WriteLine($"BENCH probe_cycle endpoints={endpoints} engine_per_s={enginePerS:F0} bare_per_s={barePerS:F0} ratio={enginePerS / barePerS:F2}");

internal static class Decoration
{
    /// <summary>Wraps the configured store so the benchmark can count table operations.</summary>
    public static void Decorate(this IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(ITableStore));
        services.AddSingleton(sp => new CountingTableStore((ITableStore)original.ImplementationFactory!(sp)));
        services.Replace(ServiceDescriptor.Singleton<ITableStore>(sp => sp.GetRequiredService<CountingTableStore>()));
    }
}
