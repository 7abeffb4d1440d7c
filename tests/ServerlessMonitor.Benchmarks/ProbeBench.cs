using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OutageLab;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// The probe engine against a bare HttpClient loop on the same lab targets, in the same process and run:
/// whole cycles as ProbeTimer runs them (plan, probe, confirm failures after Monitor:ConfirmationDelay, self-check,
/// record, status board, alerts, read snapshot). <c>--scaling</c> runs each size in its own process (so peak RSS is
/// per size) on SQLite and on Azurite, healthy and with 5% of targets failing, and prints the scaling figure.
/// </summary>
internal static class ProbeBench
{
    private static readonly int[] Sizes = [200, 1000, 10_000];

    public static async Task RunScalingAsync(IConfiguration options)
    {
        var backends = (options["backends"] ?? "sqlite,azurite").Split(',');
        var sizes = options["sizes"]?.Split(',').Select(int.Parse).ToArray() ?? Sizes;
        foreach (var backend in backends)
        {
            var perS = new Dictionary<int, double>();
            foreach (var n in sizes)
            {
                perS[n] = Child(backend, n, failing: 0);
            }
            if (perS.ContainsKey(200) && perS.ContainsKey(10_000))
            {
                Console.WriteLine(FormattableString.Invariant(
                    $"BENCH probe_scaling backend={backend} per_probe_cost_10k_over_200={perS[200] / perS[10_000]:F2}"));
            }
            foreach (var n in sizes)
            {
                Child(backend, n, failing: 0.05);
            }
        }
    }

    /// <summary>
    /// <c>--pages</c>: the same catalog of HTML pages checked for their closing tag, answering a tiny page and then a real-sized one
    /// (<c>--page-kb</c>, default 400), each in its own process, so their peak RSS can be set side by side.
    /// </summary>
    public static void RunPages(IConfiguration options)
    {
        var endpoints = int.Parse(options["endpoints"] ?? "2000", CultureInfo.InvariantCulture);
        var backend = options["backend"] ?? "sqlite";
        string[] extra = [.. Pass(options, "cycles"), .. Pass(options, "warmup"), .. Pass(options, "page-check")];
        var tiny = Child(backend, endpoints, 0, [.. extra, "--page-kb", "0"]).RssMb;
        var kb = options["page-kb"] ?? "400";
        var page = Child(backend, endpoints, 0, [.. extra, "--page-kb", kb]).RssMb;
        Console.WriteLine(FormattableString.Invariant(
            $"BENCH page_memory endpoints={endpoints} backend={backend} page_kb={kb} page_check={options["page-check"] ?? "body"} rss_mb_tiny={tiny:F0} rss_mb_page={page:F0} ratio={page / tiny:F2}"));
    }

    private static string[] Pass(IConfiguration options, string name) => options[name] is { } value ? [$"--{name}", value] : [];

    /// <summary>Runs one size in a fresh process, echoes its BENCH lines and returns its engine probes per second.</summary>
    private static double Child(string backend, int endpoints, double failing) => Child(backend, endpoints, failing, []).EnginePerS;

    /// <param name="assembly">Another build's benchmark assembly to run instead of this one (a baseline beside it).</param>
    internal static (double EnginePerS, double RssMb, string? Line) Child(string backend, int endpoints, double failing, string[] extra,
        string? assembly = null)
    {
        var info = new ProcessStartInfo(assembly is null ? Environment.ProcessPath! : "dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        // Under the dotnet muxer the child needs the assembly; under the app host (dotnet run) it would read it as a "/key" switch
        // that swallows --endpoints.
        if (assembly is not null || Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            info.ArgumentList.Add(assembly ?? typeof(ProbeBench).Assembly.Location);
        }
        foreach (var arg in new[] { "--endpoints", endpoints.ToString(CultureInfo.InvariantCulture),
                     "--backend", backend, "--failing", failing.ToString(CultureInfo.InvariantCulture) }.Concat(extra))
        {
            info.ArgumentList.Add(arg);
        }
        using var child = Process.Start(info)!;
        var enginePerS = double.NaN;
        var rssMb = double.NaN;
        string? cycleLine = null;
        while (child.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("BENCH ", StringComparison.Ordinal))
            {
                Console.WriteLine(line);
                if (line.StartsWith("BENCH probe_cycle ", StringComparison.Ordinal))
                {
                    cycleLine = line;
                    enginePerS = Field(line, "engine_per_s");
                    rssMb = Field(line, "rss_mb");
                }
            }
        }
        child.WaitForExit();
        return (enginePerS, rssMb, cycleLine);
    }

    internal static double Field(string line, string name) =>
        double.Parse(line.Split(' ').Single(p => p.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..], CultureInfo.InvariantCulture);

    public static async Task RunOneAsync(IConfiguration options)
    {
        var endpoints = int.Parse(options["endpoints"] ?? "200", CultureInfo.InvariantCulture);
        // Enough cycles for about 30,000 measured probes, at least 3.
        var cycles = int.Parse(options["cycles"] ?? Math.Clamp(30_000 / endpoints, 3, 50).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var concurrency = int.Parse(options["concurrency"] ?? "16", CultureInfo.InvariantCulture);
        var failing = double.Parse(options["failing"] ?? "0", CultureInfo.InvariantCulture);
        var backend = options["backend"] ?? (options["connection-string"] is null ? "sqlite" : "tables");

        // The probed site's own server diagnostics stay out of the monitor's telemetry (HiddenDiagnostics).
        await using var lab = await OutageLabServer.StartAsync(new OutageLabOptions { ConfigureServices = HiddenDiagnostics.Hide });
        using var azurite = backend == "azurite" ? await Azurite.StartAsync() : null;
        var connectionString = azurite?.ConnectionString ?? options["connection-string"];
        var work = Directory.CreateTempSubdirectory("sm-bench");
        var catalogPath = Path.Combine(work.FullName, "monitors.json");
        var pageKb = options["page-kb"] is { } kb ? int.Parse(kb, CultureInfo.InvariantCulture) : (int?)null;
        var urls = pageKb is { } size ? BenchCatalog.Pages(lab, endpoints, size) : BenchCatalog.Urls(lab, endpoints, failing);
        var statusOnly = options["page-check"] == "status";
        File.WriteAllText(catalogPath, pageKb is null ? BenchCatalog.Build(urls)
            : BenchCatalog.Build(urls, statusOnly ? BenchCatalog.StatusConditions : BenchCatalog.PageConditions));
        // Telemetry on: every instrument and span recorded and exported over OTLP, as a deployment with a collector does.
        await using var otlp = options["telemetry"] == "on" ? await OtlpSink.StartAsync() : null;

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Monitor:Catalog"] = catalogPath,
            ["Monitor:MaxConcurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["Storage:Mode"] = backend is "sqlite" or "null" ? "Sqlite" : "Tables",
            ["Storage:SqlitePath"] = Path.Combine(work.FullName, "bench.db"),
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:TablePrefix"] = "bench" + Guid.NewGuid().ToString("N")[..8],
            // --write-behind true: steady probes defer their state and rollup rows to the cycle's end (off by default, as in the hosts).
            ["Storage:WriteBehind"] = options["write-behind"] ?? "false",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp?.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        var clock = new SteppingClock();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddMonitor(MonitorHost.Standalone);
        if (backend == "null")
        {
            builder.Services.AddSingleton<ITableStore>(_ => new NullTableStore());
        }
        var readLatencyMs = int.Parse(options["read-latency-ms"] ?? "0", CultureInfo.InvariantCulture);
        builder.Services.Decorate(TimeSpan.FromMilliseconds(readLatencyMs));
        if (options["snapshot"] == "false")
        {
            // Only the engine: no read snapshot after each cycle (its cost is measured at the smaller sizes).
            builder.Services.RemoveAll<ICycleListener>();
        }
        var snapshot = new TimedListener.Total();
        CountingTableStore? counting = null;
        snapshot.Transactions = () => counting?.Transactions ?? 0;
        TimedListener.Wrap(builder.Services, snapshot);
        using var host = builder.Build();
        await host.StartAsync();
        var cycle = host.Services.GetRequiredService<ProbeCycle>();
        var counter = counting = host.Services.GetRequiredService<CountingTableStore>();
        var historyDays = int.Parse(options["history-days"] ?? "0", CultureInfo.InvariantCulture);
        await BenchHistory.SeedAsync(host.Services, clock.GetUtcNow(), historyDays);
        var reportDays = int.Parse(options["report-days"] ?? "0", CultureInfo.InvariantCulture);
        await BenchHistory.SeedReportsAsync(host.Services, clock.GetUtcNow(), reportDays);

        // Warm-up: the first cycle creates every state row and fills connection pools; the next ones run until the JIT
        // has finished tiering up, so the figure is the steady state of a monitor that runs for days: at least 2 cycles
        // and 20,000 probes, then until the JIT has spent less than 1% of the last 3 seconds compiling (methods wait at
        // tier 0 until they have been called enough, so a single quiet cycle says nothing); a slow backend stops after
        // 60 s. --warmup N runs exactly N cycles.
        var explicitWarmup = options["warmup"] is { } w ? int.Parse(w, CultureInfo.InvariantCulture) : (int?)null;
        var minWarmup = Math.Clamp(20_000 / endpoints, 2, 100);
        var warming = Stopwatch.StartNew();
        var warmed = 0;
        var compiled = new List<(TimeSpan At, TimeSpan Compiling)> { (TimeSpan.Zero, JitInfo.GetCompilationTime()) };
        while (explicitWarmup is { } n ? warmed < n : warmed < 2 || warming.Elapsed < TimeSpan.FromSeconds(60))
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await cycle.RunAsync(CancellationToken.None);
            warmed++;
            var now = (At: warming.Elapsed, Compiling: JitInfo.GetCompilationTime());
            compiled.Add(now);
            // The JIT's time over the last 3 s of cycles: from the latest cycle end at least 3 s ago.
            var since = compiled.FindLastIndex(c => now.At - c.At >= TimeSpan.FromSeconds(3));
            if (explicitWarmup is null && warmed >= minWarmup && since >= 0 &&
                now.Compiling - compiled[since].Compiling < (now.At - compiled[since].At) / 100)
            {
                break;
            }
        }
        Console.Error.WriteLine($"warm-up: {warmed} cycles, {warming.Elapsed.TotalSeconds:F1} s");
        long storeReads = 0;
        // Reads that reached the store (after SharedReads): what Table Storage would bill.
        using var readMeter = ReadBench.ListenToReads(n => Interlocked.Add(ref storeReads, n));
        counter.Reset();
        snapshot.Reset();
        var profile = CycleProfileReport.Begin(options["profile"] == "true");
        var engineCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var engine = Stopwatch.StartNew();
        var probed = 0;
        for (var i = 0; i < cycles; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            probed += (await cycle.RunAsync(CancellationToken.None)).Probed;
        }
        engine.Stop();
        profile?.Print(endpoints, probed, cycles, backend);
        engineCpu = Process.GetCurrentProcess().TotalProcessorTime - engineCpu - snapshot.Cpu;
        // The engine's peak, before the bare loop below reads every body whole (its memory is not the engine's).
        var rssMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);

        // The same requests with a bare HttpClient loop at the same concurrency: the floor the engine is compared to.
        // Without HttpClient diagnostics, as the probes have them (ProbeHttpDiagnostics): with --telemetry on the floor is not traced.
        using var bareMeters = new UnlistenedMeters();
        using var http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null, MeterFactory = bareMeters });
        await BareLoop.RunAsync(http, urls, concurrency);
        var bareCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var bare = Stopwatch.StartNew();
        for (var i = 0; i < cycles; i++)
        {
            await BareLoop.RunAsync(http, urls, concurrency);
        }
        bare.Stop();
        bareCpu = Process.GetCurrentProcess().TotalProcessorTime - bareCpu;

        // The read snapshot is built after each cycle by the same call; it is timed on its own and reported beside.
        var probeTime = engine.Elapsed - snapshot.Elapsed;
        var enginePerS = probed / probeTime.TotalSeconds;
        var barePerS = endpoints * cycles / bare.Elapsed.TotalSeconds;
        var variant = (failing > 0 ? FormattableString.Invariant($" failing={failing:F2}") : "") +
                      (historyDays > 0 ? FormattableString.Invariant($" history_days={historyDays}") : "") +
                      (reportDays > 0 ? FormattableString.Invariant($" report_days={reportDays}") : "") +
                      (readLatencyMs > 0 ? FormattableString.Invariant($" read_latency_ms={readLatencyMs}") : "") +
                      (pageKb is { } pageSize ? FormattableString.Invariant($" page_kb={pageSize} page_check={(statusOnly ? "status" : "body")}") : "") +
                      (options["telemetry"] is { } t ? FormattableString.Invariant($" telemetry={t}") : "") +
                      (options["write-behind"] is { } wb ? FormattableString.Invariant($" write_behind={wb}") : "");
        await host.StopAsync();
        work.Delete(recursive: true);

        Console.WriteLine(FormattableString.Invariant(
            $"BENCH probe_cycle endpoints={endpoints} engine_per_s={enginePerS:F0} bare_per_s={barePerS:F0} ratio={enginePerS / barePerS:F2} rss_mb={rssMb:F0} cycle_s={probeTime.TotalSeconds / cycles:F2} backend={backend}{variant} engine_cpu_us_per_probe={engineCpu.TotalMicroseconds / probed:F0} bare_cpu_us_per_probe={bareCpu.TotalMicroseconds / (endpoints * cycles):F0}"));
        Console.WriteLine(FormattableString.Invariant(
            $"BENCH snapshot_build endpoints={endpoints} services={(endpoints + 9) / 10} seconds={snapshot.Elapsed.TotalSeconds / cycles:F2} cycle_with_snapshot_s={engine.Elapsed.TotalSeconds / cycles:F2} backend={backend}{variant} alloc_mb={snapshot.Allocated / 1048576.0 / cycles:F0}"));
        Console.WriteLine(FormattableString.Invariant(
            $"BENCH table_tx_per_probe value={(double)(counter.Transactions - snapshot.SnapshotTransactions) / probed:F3} snapshot_tx_per_cycle={(double)snapshot.SnapshotTransactions / cycles:F1} store_reads_per_probe={(double)Interlocked.Read(ref storeReads) / probed:F3} write_ms_per_probe={counter.WriteTime.TotalMilliseconds / probed:F2} backend={backend} endpoints={endpoints}{variant} probes={probed}"));
    }
}
