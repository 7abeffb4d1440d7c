using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using NCrontab;
namespace ServerlessMonitor.Tests.Hosting;

/// <summary>Publishes the app once per test class and, on demand, runs it the way the Functions host would.</summary>
public sealed class PublishedAppFixture : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "sm-publish-" + Guid.NewGuid().ToString("N"));
    private readonly StringBuilder _output = new();
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private Process? _process;
    private HttpClient? _client;
    private Task<HttpClient>? _launch;

    public string PublishDir => Path.Combine(_root, "package");

    public JsonNode HostJson { get; private set; } = new JsonObject();

    /// <summary>What the published app printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var publish = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", SourceLayout.AppDir, "-c", "Release", "-o", PublishDir, "--nologo" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(publish)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(PublishTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        HostJson = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(PublishDir, "host.json")))!;
    }

    /// <summary>The single trigger binding of a published function.json.</summary>
    public JsonNode Trigger(string function)
    {
        var path = Path.Combine(PublishDir, function, "function.json");
        Assert.True(File.Exists(path), $"{function}/function.json is not in the package");
        var bindings = JsonNode.Parse(File.ReadAllText(path))?["bindings"]?.AsArray();
        Assert.NotNull(bindings);
        return Assert.Single(bindings, b => b?["type"]?.GetValue<string>()?.EndsWith("Trigger", StringComparison.Ordinal) == true)!;
    }

    /// <summary>Starts host.json's executable with its arguments from the package root, once (a failed start fails every caller).</summary>
    public async Task<HttpClient> StartAsync()
    {
        await _startLock.WaitAsync();
        try
        {
            _launch ??= LaunchAsync();
        }
        finally
        {
            _startLock.Release();
        }

        return await _launch;
    }

    private async Task<HttpClient> LaunchAsync()
    {
        var port = FreePort();
        var dataDir = Directory.CreateDirectory(Path.Combine(_root, "data")).FullName;
        var catalog = Path.Combine(dataDir, "monitors.json");
        // One endpoint on the app itself: probing stays on loopback.
        await File.WriteAllTextAsync(catalog, $$"""
            { "services": [ { "id": "self", "name": "Self", "category": "test",
                "endpoints": [ { "id": "health", "kind": "http", "url": "http://127.0.0.1:{{port}}/api/health",
                                 "interval": "00:01:00", "timeout": "00:00:05", "conditions": ["[STATUS] == 200"] } ] } ] }
            """);

        var description = HostJson["customHandler"]!["description"]!;
        var start = new ProcessStartInfo(description["defaultExecutablePath"]!.GetValue<string>())
        {
            WorkingDirectory = PublishDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in description["arguments"]?.AsArray() ?? [])
        {
            start.ArgumentList.Add(argument!.GetValue<string>());
        }

        // The host passes the port in FUNCTIONS_CUSTOMHANDLER_PORT only; nothing else may pick the address.
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Storage__Mode"] = "Sqlite";
        start.Environment["Storage__SqlitePath"] = Path.Combine(dataDir, "monitor.db");
        start.Environment["Monitor__Catalog"] = catalog;
        start.Environment["Monitor__Region"] = "test";
        start.Environment["Monitor__Instance"] = "publish-layout";
        start.Environment["Monitor__ProbeSchedule"] = "*/30 * * * * *";

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        await WaitUntilListeningAsync(_client);
        return _client;
    }

    private async Task WaitUntilListeningAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The published app exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("/api/health");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        throw new TimeoutException($"The published app did not listen on FUNCTIONS_CUSTOMHANDLER_PORT within {StartTimeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _startLock.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the run; the temp folder is cleaned by the OS.
        }
    }
}
