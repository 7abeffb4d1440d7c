using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OutageLab;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// --snapshot-build: what one read-model build costs after a steady cycle, in process, on SQLite. The host is the
/// monitor's own composition with the cycle listeners removed, so each build is called here and measured alone:
/// store rows read (the storage meter), bytes allocated (every thread; nothing else runs meanwhile), process CPU and
/// wall time, averaged over --builds builds, each after one more steady cycle (every endpoint up, one minute later).
/// </summary>
internal static class SnapshotBench
{
    public static async Task RunAsync(IConfiguration options)
    {
        var endpoints = int.Parse(options["endpoints"] ?? "1000", CultureInfo.InvariantCulture);
        var builds = int.Parse(options["builds"] ?? "5", CultureInfo.InvariantCulture);
        var warmup = int.Parse(options["warmup"] ?? "3", CultureInfo.InvariantCulture);
        await using var lab = await OutageLabServer.StartAsync(port: 0);
        var work = Directory.CreateTempSubdirectory("sm-snapshot");
        var catalogPath = Path.Combine(work.FullName, "monitors.json");
        File.WriteAllText(catalogPath, BenchCatalog.Build(lab, endpoints));

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Monitor:Catalog"] = catalogPath,
            ["Storage:Mode"] = "Sqlite",
            ["Storage:SqlitePath"] = Path.Combine(work.FullName, "bench.db"),
        });
        var clock = new SteppingClock();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddMonitor(MonitorHost.Standalone);
        builder.Services.RemoveAll<ICycleListener>();
        using var host = builder.Build();
        await host.StartAsync();
        var cycle = host.Services.GetRequiredService<ProbeCycle>();
        var snapshots = host.Services.GetRequiredService<ReadSnapshots>();

        // Warm-up: state rows created, the JIT past its first tiers, a previous snapshot to build on.
        for (var i = 0; i < warmup; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await cycle.RunAsync(CancellationToken.None);
            await snapshots.PublishAsync(CancellationToken.None);
        }
        long reads = 0;
        using var meter = ReadBench.ListenToReads(n => Interlocked.Add(ref reads, n));
        long probed = 0, buildReads = 0, allocated = 0;
        TimeSpan cpu = TimeSpan.Zero, wall = TimeSpan.Zero;
        for (var i = 0; i < builds; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            probed += (await cycle.RunAsync(CancellationToken.None)).Probed;
            var readsBefore = Interlocked.Read(ref reads);
            var allocBefore = GC.GetTotalAllocatedBytes(precise: true);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            await snapshots.PublishAsync(CancellationToken.None);
            wall += Stopwatch.GetElapsedTime(started);
            cpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            allocated += GC.GetTotalAllocatedBytes(precise: true) - allocBefore;
            buildReads += Interlocked.Read(ref reads) - readsBefore;
        }
        var rssMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
        await host.StopAsync();
        work.Delete(recursive: true);
        Console.WriteLine(FormattableString.Invariant(
            $"BENCH snapshot_build endpoints={endpoints} services={(endpoints + 9) / 10} builds={builds} store_reads_per_probe={(double)buildReads / probed:F3} alloc_mb={allocated / 1048576.0 / builds:F1} cpu_s={cpu.TotalSeconds / builds:F3} wall_s={wall.TotalSeconds / builds:F3} rss_mb={rssMb:F0} backend=sqlite"));
    }
}
