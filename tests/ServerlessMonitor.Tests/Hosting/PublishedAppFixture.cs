using System.Diagnostics;
using System.Text.Json.Nodes;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Hosting;

/// <summary>Publishes the app once per test class and, on demand, runs it the way the Functions host would.</summary>
public sealed class PublishedAppFixture : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "sm-publish-" + Guid.NewGuid().ToString("N"));
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private AppProcess? _app;
    private HttpClient? _client;
    private Task<HttpClient>? _launch;

    public string PublishDir => Path.Combine(_root, "package");

    public JsonNode HostJson { get; private set; } = new JsonObject();

    /// <summary>What the published app printed, for failure messages.</summary>
    public string Output => _app?.Output ?? "";

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
        var port = AppProcess.FreePort();
        var dataDir = Directory.CreateDirectory(Path.Combine(_root, "data")).FullName;
        var catalog = Path.Combine(dataDir, "monitors.json");
        // One endpoint on the app itself: probing stays on loopback.
        await File.WriteAllTextAsync(catalog, $$"""
            { "services": [ { "id": "self", "name": "Self", "category": "test",
                "endpoints": [ { "id": "health", "kind": "http", "url": "http://127.0.0.1:{{port}}/api/health",
                                 "interval": "00:01:00", "timeout": "00:00:05", "conditions": ["[STATUS] == 200"] } ] } ] }
            """);

        // Exactly what the host does: host.json's executable and arguments, from the package root, with the
        // port in FUNCTIONS_CUSTOMHANDLER_PORT only.
        var description = HostJson["customHandler"]!["description"]!;
        _app = AppProcess.Start(description["defaultExecutablePath"]!.GetValue<string>(),
            (description["arguments"]?.AsArray() ?? []).Select(a => a!.GetValue<string>()), PublishDir,
            new Dictionary<string, string?>
            {
                ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Storage__Mode"] = "Sqlite",
                ["Storage__SqlitePath"] = Path.Combine(dataDir, "monitor.db"),
                ["Monitor__Catalog"] = catalog,
                ["Monitor__Region"] = "test",
                ["Monitor__Instance"] = "publish-layout",
                ["Monitor__ProbeSchedule"] = "*/30 * * * * *",
            });
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        await _app.WaitUntilHealthyAsync(baseUri, StartTimeout);
        _client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        return _client;
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

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
