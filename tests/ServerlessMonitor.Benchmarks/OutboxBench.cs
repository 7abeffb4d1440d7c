using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// The AlertsTimer's sweep with nothing to send (issue 24): store reads of one idle sweep at N endpoints, after the
/// process's first sweep (which looks at every partition, as its daily repair does).
/// </summary>
internal static class OutboxBench
{
    public static async Task RunAsync(IConfiguration options)
    {
        var endpoints = int.Parse(options["endpoints"] ?? "10000", CultureInfo.InvariantCulture);
        var work = Directory.CreateTempSubdirectory("sm-outbox");
        var catalogPath = Path.Combine(work.FullName, "monitors.json");
        // Nothing is probed: the targets only have to be valid URLs.
        File.WriteAllText(catalogPath, BenchCatalog.Build(Enumerable.Range(0, endpoints).Select(i => new Uri($"http://127.0.0.1:9/{i}")).ToList()));
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Monitor:Catalog"] = catalogPath,
            ["Storage:Mode"] = "Sqlite",
            ["Storage:SqlitePath"] = Path.Combine(work.FullName, "outbox.db"),
        });
        builder.AddMonitor(MonitorHost.Standalone);
        using var host = builder.Build();
        await host.StartAsync();
        var dispatcher = host.Services.GetRequiredService<OutboxDispatcher>();
        long reads = 0;
        using var listener = ReadBench.ListenToReads(n => Interlocked.Add(ref reads, n));
        await dispatcher.DispatchPendingAsync(CancellationToken.None);
        var full = Interlocked.Exchange(ref reads, 0);
        await dispatcher.DispatchPendingAsync(CancellationToken.None);
        var idle = Interlocked.Read(ref reads);
        await host.StopAsync();
        work.Delete(recursive: true);
        Console.WriteLine(FormattableString.Invariant($"BENCH outbox_sweep endpoints={endpoints} queries={idle} first_sweep_queries={full}"));
    }
}
