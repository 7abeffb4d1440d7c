using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// Cold start as a scaled-to-zero instance pays it: from process start to the first 200 on /api/health, for the published
/// standalone host and for a bare Kestrel app (this benchmark's own <c>--hello</c> mode: WebApplication, one route), each
/// started as a new process, alternating, median of <c>--runs</c> (5). One untimed start of each first warms the disk cache
/// and creates the SQLite file, so the timed starts are restarts on an existing store, as after a scale-in.
/// Usage: --startup --app &lt;publish dir&gt;/ServerlessMonitor.Standalone.dll [--runs 5]
/// </summary>
internal static class StartupBench
{
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(IConfiguration options)
    {
        var app = Path.GetFullPath(options["app"] ?? throw new ArgumentException("--app: the published ServerlessMonitor.Standalone.dll is required"));
        if (!File.Exists(app))
        {
            throw new ArgumentException($"--app: '{app}' does not exist; publish it first (dotnet publish functions/ServerlessMonitor.Standalone -c Release -o <dir>)");
        }
        var runs = int.Parse(options["runs"] ?? "5", System.Globalization.CultureInfo.InvariantCulture);
        var dir = Directory.CreateTempSubdirectory("startup-bench").FullName;
        var catalog = Path.Combine(dir, "monitors.json");
        await File.WriteAllTextAsync(catalog, """
            { "services": [ { "id": "local", "name": "Local", "endpoints": [ { "id": "web", "url": "http://127.0.0.1:9/", "interval": "00:01:00" } ] } ] }
            """);
        var monitor = new Start("app", app, [], new() { ["Monitor__Catalog"] = catalog, ["Storage__SqlitePath"] = Path.Combine(dir, "monitor.db") });
        var hello = new Start("hello", typeof(StartupBench).Assembly.Location, ["--hello"], []);
        await TimeAsync(monitor);
        await TimeAsync(hello);
        var appMs = new List<double>();
        var helloMs = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            appMs.Add(await TimeAsync(monitor));
            helloMs.Add(await TimeAsync(hello));
        }
        Directory.Delete(dir, recursive: true);
        Console.WriteLine($"startup app runs: {string.Join(" ", appMs.Select(ms => ms.ToString("0")))}; hello runs: {string.Join(" ", helloMs.Select(ms => ms.ToString("0")))}");
        Console.WriteLine($"BENCH startup app_ms={Median(appMs):0} hello_ms={Median(helloMs):0} ratio={Median(appMs) / Median(helloMs):0.00} runs={runs}");
    }

    /// <summary>The bare app the monitor is compared with: Kestrel and one route, nothing else.</summary>
    public static async Task HelloAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args.Where(a => a != "--hello").ToArray());
        var app = builder.Build();
        app.MapGet("/api/health", () => Results.Ok(new { status = "ok" }));
        await app.RunAsync();
    }

    private sealed record Start(string Name, string Dll, string[] Args, Dictionary<string, string> Environment);

    private static async Task<double> TimeAsync(Start start)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(start.Dll)! };
        info.ArgumentList.Add(start.Dll);
        foreach (var arg in start.Args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in start.Environment)
        {
            info.Environment[key] = value;
        }
        using var http = new HttpClient { Timeout = GiveUp };
        var url = $"http://127.0.0.1:{port}/api/health";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{start.Name} exited with {process.ExitCode} before answering: {errors}");
                }
                if (clock.Elapsed > GiveUp)
                {
                    throw new TimeoutException($"{start.Name} did not answer {url} within {GiveUp.TotalSeconds} s");
                }
                try
                {
                    using var response = await http.GetAsync(url);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return clock.Elapsed.TotalMilliseconds;
                    }
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }
                catch (TaskCanceledException) when (clock.Elapsed < GiveUp)
                {
                    // accepted but not answered in time: the time keeps counting
                }
                await Task.Delay(5);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
