using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ServerlessMonitor.Tests.Support;

/// <summary>
/// The real standalone app as a child process (`dotnet ServerlessMonitor.Standalone.dll`), the way an
/// operator starts it. Output is captured for assertions and failure messages.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

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

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The app as built next to the tests.</summary>
    public static AppProcess Start(IDictionary<string, string?> environment, string? workingDirectory = null) =>
        Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "ServerlessMonitor.Standalone.dll")], workingDirectory ?? AppContext.BaseDirectory, environment);

    /// <summary>
    /// Any way of starting a program of the app (the standalone host, the published Functions worker).
    /// Variables that pick a listening address are cleared first, so only <paramref name="environment"/> decides it.
    /// </summary>
    public static AppProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var name in AddressVariables)
        {
            info.Environment.Remove(name);
        }
        foreach (var (k, v) in environment)
        {
            info.Environment[k] = v;
        }
        return new AppProcess(Process.Start(info)!);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits until the app answers /api/health on <paramref name="baseUri"/>.</summary>
    public async Task WaitUntilHealthyAsync(Uri baseUri, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(); // its output read to the end
                throw new InvalidOperationException($"app exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await http.GetAsync(new Uri(baseUri, "/api/health"))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"app did not become healthy within {timeout}:\n{Output}");
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
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

    private static readonly string[] AddressVariables =
        ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS"];
}
