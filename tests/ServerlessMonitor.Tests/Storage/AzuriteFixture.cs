using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ServerlessMonitor.Tests.Storage;

/// <summary>
/// Starts Azurite's Table and Queue services (pinned in tests/azurite/package.json) on a free loopback port
/// for the tests of the "Azurite" collection and stops it afterwards. Installs the npm packages
/// on first use, so `dotnet test` works on a fresh clone of a machine that has Node.js.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string AccountName = "devstoreaccount1";
    // Azurite's well-known development key; public, not a secret.
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly NodeTools _node = NodeTools.Locate();
    private readonly Queue<string> _output = new();
    private readonly string? _location;
    private Process? _process;
    private Process? _queueProcess;

    public AzuriteFixture()
    {
    }

    /// <summary>
    /// An Azurite of its own that keeps its data in <paramref name="location"/> rather than in memory, so it can be
    /// stopped and started again with what it acknowledged (<see cref="StopAsync"/>, <see cref="RestartAsync"/>).
    /// </summary>
    internal AzuriteFixture(string location) => _location = location;

    public int Port { get; private set; }

    public int QueuePort { get; private set; }

    public string TableEndpoint => $"http://127.0.0.1:{Port}/{AccountName}";

    public string QueueEndpoint => $"http://127.0.0.1:{QueuePort}/{AccountName}";

    /// <summary>Table and Queue endpoints of this Azurite: what AzureWebJobsStorage and Storage:ConnectionString hold in the tests.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};TableEndpoint={TableEndpoint};QueueEndpoint={QueueEndpoint};";

    /// <summary>tests/azurite: the npm project holding Azurite and the interop scripts.</summary>
    public string NodeProjectDirectory => _node.ProjectDirectory;

    public async Task InitializeAsync()
    {
        await _node.EnsurePackagesAsync();
        // A port picked as free can be taken before Azurite binds it; try again with a new one.
        (_process, Port) = await StartServiceAsync("table");
        (_queueProcess, QueuePort) = await StartServiceAsync("queue");
    }

    private async Task<(Process, int)> StartServiceAsync(string service)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = Support.AppProcess.FreePort();
            var process = Start(service, port);
            if (await WaitForPortAsync(process, port, TimeSpan.FromSeconds(60)))
            {
                return (process, port);
            }
            Stop(process);
            if (attempt == 3)
            {
                throw new InvalidOperationException($"Azurite's {service} service did not start on 127.0.0.1:{port}. Its output:\n{Output()}");
            }
        }
    }

    /// <summary>
    /// Stops both services mid-flight: their ports refuse connections from here on. SIGINT, not SIGKILL: Azurite saves
    /// its data every 5 s (LokiJS autosave), so a SIGKILL would lose writes it had acknowledged, which no storage account does.
    /// </summary>
    public async Task StopAsync()
    {
        await InterruptAsync(_process);
        await InterruptAsync(_queueProcess);
        _process = _queueProcess = null;
    }

    /// <summary>Starts both services again on the same ports and location.</summary>
    public async Task RestartAsync()
    {
        foreach (var (service, port) in new[] { ("table", Port), ("queue", QueuePort) })
        {
            var process = Start(service, port);
            if (!await WaitForPortAsync(process, port, TimeSpan.FromSeconds(120)))
            {
                Stop(process);
                throw new InvalidOperationException($"Azurite's {service} service did not restart on 127.0.0.1:{port}. Its output:\n{Output()}");
            }
            (_process, _queueProcess) = service == "table" ? (process, _queueProcess) : (_process, process);
        }
    }

    private static async Task InterruptAsync(Process? process)
    {
        if (process is { HasExited: false })
        {
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(exited.Token);
            }
            catch (OperationCanceledException)
            {
                // Did not close within a minute: it goes anyway.
            }
        }
        Stop(process);
    }

    public Task DisposeAsync()
    {
        Stop(_process);
        Stop(_queueProcess);
        _process = _queueProcess = null;
        return Task.CompletedTask;
    }

    /// <summary>Runs a script of tests/azurite with node and returns its standard output.</summary>
    public Task<string> RunNodeScriptAsync(string script, params string[] args) => _node.RunAsync(script, args);

    private Process Start(string service, int port)
    {
        var info = new ProcessStartInfo(_node.NodePath)
        {
            WorkingDirectory = _node.ProjectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The target of node_modules/.bin/azurite-table (-queue), run through node so it also works on Windows.
        foreach (var arg in new[]
        {
            Path.Combine("node_modules", "azurite", "dist", "src", service, "main.js"),
            $"--{service}Host", "127.0.0.1", $"--{service}Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent",
        }.Concat(_location is null ? new[] { "--inMemoryPersistence" } : new[] { "--location", _location }))
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node for Azurite");
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<bool> WaitForPortAsync(Process process, int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        return false;
    }

    private static void Stop(Process? process)
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process?.Dispose();
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 50)
            {
                _output.Dequeue();
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }
}

/// <summary>One Azurite for every test class that joins this collection.</summary>
[CollectionDefinition("Azurite")]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;
