using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ServerlessMonitor.Benchmarks;

/// <summary>Azurite's Table service from tests/azurite (npm ci there first), in memory on a free loopback port.</summary>
internal sealed class Azurite : IDisposable
{
    private readonly Process _process;

    private Azurite(Process process, int port)
    {
        _process = process;
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
                           "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
                           $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    public static async Task<Azurite> StartAsync()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "tests", "azurite", "node_modules")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            throw new InvalidOperationException("tests/azurite/node_modules not found: run `npm ci --prefix tests/azurite` first");
        }
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var info = new ProcessStartInfo("node") { WorkingDirectory = Path.Combine(dir.FullName, "tests", "azurite"), UseShellExecute = false,
            RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine("node_modules", "azurite", "dist", "src", "table", "main.js"), "--tableHost", "127.0.0.1",
                     "--tablePort", port.ToString(CultureInfo.InvariantCulture), "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--silent" })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 300; i++)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new Azurite(process, port);
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"Azurite did not start on 127.0.0.1:{port}");
    }

    public void Dispose()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
