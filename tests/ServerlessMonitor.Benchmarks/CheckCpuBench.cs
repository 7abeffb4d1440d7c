using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// --cpu-per-check: the standalone host itself (ServerlessMonitor.Standalone.dll with its appsettings.json, in its own
/// process) probing --endpoints loopback targets at --interval-s under its timer schedule (default every 5 s). After
/// --warmup-s, the host's process CPU over --span-s (default 60 s: short enough to run, long enough for a dozen cycles)
/// is divided by the checks its targets answered meanwhile. The targets live in this process, so their CPU is not counted.
/// --baseline &lt;other build's ServerlessMonitor.Standalone.dll&gt; runs that build beside this one over the same span
/// (each with its own targets), so a loaded machine weighs on both alike.
/// </summary>
internal static class CheckCpuBench
{
    public static async Task RunAsync(IConfiguration options)
    {
        var endpoints = int.Parse(options["endpoints"] ?? "200", CultureInfo.InvariantCulture);
        var intervalS = int.Parse(options["interval-s"] ?? "20", CultureInfo.InvariantCulture);
        var warmup = TimeSpan.FromSeconds(int.Parse(options["warmup-s"] ?? "30", CultureInfo.InvariantCulture));
        var span = TimeSpan.FromSeconds(int.Parse(options["span-s"] ?? "60", CultureInfo.InvariantCulture));
        var schedule = options["schedule"] ?? "*/5 * * * * *";
        var builds = new List<(string Name, string Dll)> { ("current", Path.Combine(AppContext.BaseDirectory, "ServerlessMonitor.Standalone.dll")) };
        if (options["baseline"] is { } baseline)
        {
            builds.Add(("baseline", Path.GetFullPath(baseline)));
        }
        var runs = new List<Run>();
        try
        {
            foreach (var (name, dll) in builds)
            {
                runs.Add(await Run.StartAsync(name, dll, endpoints, intervalS, schedule, options["log"] is { } log ? $"{log}.{name}" : null));
            }
            await Task.Delay(warmup);
            runs.ForEach(r => r.Mark());
            await Task.Delay(span);
            foreach (var run in runs)
            {
                var (cpu, checks, rssMb) = run.Measure();
                Console.WriteLine(FormattableString.Invariant(
                    $"BENCH cpu_per_check endpoints={endpoints} interval_s={intervalS} schedule={schedule.Replace(' ', '_')} span_s={span.TotalSeconds:F0} build={run.Name} checks={checks} cpu_s={cpu.TotalSeconds:F2} cpu_ms_per_check={cpu.TotalMilliseconds / Math.Max(checks, 1):F2} rss_mb={rssMb:F0} backend=sqlite"));
            }
        }
        finally
        {
            foreach (var run in runs)
            {
                await run.DisposeAsync();
            }
        }
    }

    /// <summary>One host build with its own targets, catalog and database.</summary>
    private sealed class Run : IAsyncDisposable
    {
        private long checks;
        private long checksAtMark;
        private TimeSpan cpuAtMark;
        private WebApplication targets = null!;
        private Process app = null!;
        private DirectoryInfo work = null!;
        private StreamWriter? log;

        public required string Name { get; init; }

        public static async Task<Run> StartAsync(string name, string dll, int endpoints, int intervalS, string schedule, string? logPath)
        {
            var run = new Run { Name = name };
            run.targets = await StartTargetsAsync(() => Interlocked.Increment(ref run.checks));
            run.work = Directory.CreateTempSubdirectory("sm-cpu");
            var catalog = Path.Combine(run.work.FullName, "monitors.json");
            var urls = Enumerable.Range(0, endpoints).Select(i => new Uri($"{run.targets.Urls.Single()}/healthy?e={i}")).ToList();
            File.WriteAllText(catalog, BenchCatalog.Build(urls).Replace("\"conditions\"", $"\"interval\": \"{TimeSpan.FromSeconds(intervalS):c}\", \"conditions\""));
            run.log = logPath is null ? null : new StreamWriter(logPath) { AutoFlush = true };
            run.app = StartStandalone(dll, catalog, run.work.FullName, schedule, run.log);
            Console.Error.WriteLine($"{name}: standalone host pid {run.app.Id} ({dll})");
            return run;
        }

        public void Mark()
        {
            if (app.HasExited)
            {
                throw new InvalidOperationException($"the {Name} standalone host exited with {app.ExitCode}");
            }
            app.Refresh();
            cpuAtMark = app.TotalProcessorTime;
            checksAtMark = Interlocked.Read(ref checks);
        }

        public (TimeSpan Cpu, long Checks, double RssMb) Measure()
        {
            app.Refresh();
            return (app.TotalProcessorTime - cpuAtMark, Interlocked.Read(ref checks) - checksAtMark, app.PeakWorkingSet64 / 1048576.0);
        }

        public async ValueTask DisposeAsync()
        {
            if (!app.HasExited)
            {
                app.Kill();
                await app.WaitForExitAsync();
            }
            app.Dispose();
            await targets.DisposeAsync();
            log?.Dispose();
            work.Delete(recursive: true);
        }
    }

    /// <summary>The standalone host as an operator runs it: its own dll and appsettings.json, settings overridden by environment.</summary>
    private static Process StartStandalone(string dll, string catalog, string work, string schedule, StreamWriter? log)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Monitor__Catalog"] = catalog;
        info.Environment["Monitor__ProbeSchedule"] = schedule;
        info.Environment["Storage__SqlitePath"] = Path.Combine(work, "monitor.db");
        var app = Process.Start(info)!;
        // Drained here (its console output is part of its cost; reading it is ours), kept with --log <file>.
        app.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && log is not null)
            {
                lock (log)
                {
                    log.WriteLine(line);
                }
            }
        };
        app.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                Console.Error.WriteLine(line);
            }
        };
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        return app;
    }

    /// <summary>Loopback targets answering what the bench catalog's conditions expect, counting each request.</summary>
    private static async Task<WebApplication> StartTargetsAsync(Action counted)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(context =>
        {
            counted();
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("{\"status\":\"UP\"}");
        });
        await app.StartAsync();
        return app;
    }
}
