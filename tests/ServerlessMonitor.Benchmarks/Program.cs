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

// Usage: dotnet run -c Release --project tests/ServerlessMonitor.Benchmarks -- [--endpoints 200] [--cycles N] [--failing 0.05]
//        [--concurrency 16] [--backend sqlite|azurite] [--connection-string "<Azure Tables connection string>"]
//        dotnet run -c Release --project tests/ServerlessMonitor.Benchmarks -- --telemetry-compare [--endpoints 1000] [--repeats 3] [--baseline <dll>]   (--telemetry on|off for one run)
//        dotnet run -c Release --project tests/ServerlessMonitor.Benchmarks -- --scaling [--backends sqlite,azurite] [--sizes 200,1000,10000]
//        dotnet run -c Release --project tests/ServerlessMonitor.Benchmarks -- --read [--endpoints 1000] [--catalog monitors.json] [--duration 10s]
//        dotnet run -c Release --project tests/ServerlessMonitor.Benchmarks -- --store-floor [--endpoints 1000]
//        dotnet run -c Release --project tests/ServerlessMonitor.Benchmarks -- --pages [--endpoints 2000] [--page-kb 400] [--cycles N] [--warmup N]
//        dotnet run -c Release --project tests/ServerlessMonitor.Benchmarks -- --signal [--loss 0.05] [--cycles 10000] [--seed 20261121]
//        dotnet run -c Release --project tests/ServerlessMonitor.Benchmarks -- --notify [--services 100] [--endpoints-per-service 10]
//        dotnet run -c Release --project tests/ServerlessMonitor.Benchmarks -- --push [--endpoints 1000] [--rounds 10]
//        dotnet run -c Release --project tests/ServerlessMonitor.Benchmarks -- --subscribers [--n 10000] [--parallelism 64]
//        dotnet run -c Release --project tests/ServerlessMonitor.Benchmarks -- --startup --app <publish dir>/ServerlessMonitor.Standalone.dll [--runs 5]

if (args.Contains("--hello"))
{
    await StartupBench.HelloAsync(args);
    return;
}
var options = new ConfigurationBuilder()
    .AddCommandLine(args.Where(a => a is not ("--read" or "--signal" or "--scaling" or "--store-floor" or "--push" or "--pages" or "--notify" or "--telemetry-compare" or "--snapshot-build" or "--cpu-per-check" or "--bytes-per-result" or "--outbox-sweep" or "--startup" or "--subscribers")).ToArray()).Build();
if (args.Contains("--subscribers")) { await SubscribersBench.RunAsync(options); return; }
if (args.Contains("--snapshot-build")) { await SnapshotBench.RunAsync(options); return; }
if (args.Contains("--cpu-per-check")) { await CheckCpuBench.RunAsync(options); return; }
if (args.Contains("--outbox-sweep"))
{
    await OutboxBench.RunAsync(options);
    return;
}
if (args.Contains("--bytes-per-result"))
{
    await BytesBench.RunAsync(options);
    return;
}
if (args.Contains("--startup"))
{
    await StartupBench.RunAsync(options);
    return;
}
if (args.Contains("--notify"))
{
    await NotifyBench.RunAsync(options);
    return;
}
if (args.Contains("--read"))
{
    await ReadBench.RunAsync(options);
    return;
}
if (args.Contains("--push"))
{
    await ServerlessMonitor.Benchmarks.PushBench.RunAsync(options);
    return;
}
if (args.Contains("--signal"))
{
    await SignalRig.RunAsync(options);
    return;
}
if (args.Contains("--store-floor"))
{
    await StoreFloor.RunAsync(options);
    return;
}
if (args.Contains("--pages"))
{
    ProbeBench.RunPages(options);
    return;
}
if (args.Contains("--telemetry-compare"))
{
    TelemetryCompareBench.Run(options);
    return;
}
if (args.Contains("--scaling"))
{
    await ProbeBench.RunScalingAsync(options);
    return;
}
await ProbeBench.RunOneAsync(options);

internal static class Decoration
{
    /// <summary>Wraps the configured store so the benchmark can count table operations.</summary>
    /// <param name="readLatency">Added to every read: a model of a remote store's round trip (loopback Azurite has none).</param>
    public static void Decorate(this IServiceCollection services, TimeSpan readLatency = default)
    {
        var original = services.Last(d => d.ServiceType == typeof(ITableStore));
        services.AddSingleton(sp => new CountingTableStore(LatencyTableStore.Over((ITableStore)original.ImplementationFactory!(sp), readLatency)));
        services.Replace(ServiceDescriptor.Singleton<ITableStore>(sp => sp.GetRequiredService<CountingTableStore>()));
    }
}
