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
/// is divided by the checks the targets answered meanwhile. The targets live in this process, so their CPU is not counted.
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
        long checks = 0;
        await using var targets = await StartTargetsAsync(() => Interlocked.Increment(ref checks));
        var work = Directory.CreateTempSubdirectory("sm-cpu");
        var catalog = Path.Combine(work.FullName, "monitors.json");
        var urls = Enumerable.Range(0, endpoints).Select(i => new Uri($"{targets.Urls.Single()}/healthy?e={i}")).ToList();
        File.WriteAllText(catalog, BenchCatalog.Build(urls).Replace("\"conditions\"", $"\"interval\": \"{TimeSpan.FromSeconds(intervalS):c}\", \"conditions\""));

        using var app = StartStandalone(catalog, work.FullName, schedule);
        await Task.Delay(warmup);
        if (app.HasExited)
        {
            throw new InvalidOperationException($"the standalone host exited with {app.ExitCode}");
        }
        var checksBefore = Interlocked.Read(ref checks);
        app.Refresh();
        var cpuBefore = app.TotalProcessorTime;
        await Task.Delay(span);
        app.Refresh();
        var cpu = app.TotalProcessorTime - cpuBefore;
        var measured = Interlocked.Read(ref checks) - checksBefore;
        var rssMb = app.PeakWorkingSet64 / 1048576.0;
        app.Kill();
        await app.WaitForExitAsync();
        work.Delete(recursive: true);
        Console.WriteLine(FormattableString.Invariant(
            $"BENCH cpu_per_check endpoints={endpoints} interval_s={intervalS} schedule={schedule.Replace(' ', '_')} span_s={span.TotalSeconds:F0} checks={measured} cpu_s={cpu.TotalSeconds:F2} cpu_ms_per_check={cpu.TotalMilliseconds / Math.Max(measured, 1):F2} rss_mb={rssMb:F0} backend=sqlite"));
    }

    /// <summary>The standalone host as an operator runs it: its own dll and appsettings.json, settings overridden by environment.</summary>
    private static Process StartStandalone(string catalog, string work, string schedule)
    {
        var dir = AppContext.BaseDirectory;
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(dir, "ServerlessMonitor.Standalone.dll"));
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Monitor__Catalog"] = catalog;
        info.Environment["Monitor__ProbeSchedule"] = schedule;
        info.Environment["Storage__SqlitePath"] = Path.Combine(work, "monitor.db");
        var app = Process.Start(info)!;
        // Drained here (its console output is part of its cost; reading it is ours).
        app.OutputDataReceived += (_, _) => { };
        app.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine(line); };
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
