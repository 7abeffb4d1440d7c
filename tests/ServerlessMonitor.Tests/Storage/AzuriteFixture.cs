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
    private Process? _process;
    private Process? _queueProcess;

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
            "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent",
        })
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
