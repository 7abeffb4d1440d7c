using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Telemetry;

/// <summary>
/// A real Prometheus (Debian's package, installed by .ci/run) on loopback, scraping one target every second into a
/// TSDB of its own; queried through its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly AppProcess _process;
    private readonly TempDirectory _dir;
    private readonly HttpClient _http;

    private PrometheusServer(AppProcess process, TempDirectory dir, Uri api)
    {
        _process = process;
        _dir = dir;
        _http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Output => _process.Output;

    public static PrometheusServer Start(string target)
    {
        var dir = new TempDirectory();
        var config = dir.Write("prometheus.yml", $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: serverlessmonitor
                static_configs:
                  - targets: ['{target}']
            """);
        var port = AppProcess.FreePort();
        var process = AppProcess.Start("prometheus",
            [$"--config.file={config}", $"--web.listen-address=127.0.0.1:{port}", $"--storage.tsdb.path={dir.File("data")}"], dir.Path,
            new Dictionary<string, string?>());
        return new PrometheusServer(process, dir, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>Runs an instant query until it returns at least one series (or the wait ends); returns the series' labels.</summary>
    public async Task<IReadOnlyList<Dictionary<string, string>>> QueryUntilFoundAsync(string promQl, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var doc = JsonDocument.Parse(await _http.GetStringAsync($"api/v1/query?query={Uri.EscapeDataString(promQl)}"));
                last = doc.RootElement.GetRawText();
                var result = doc.RootElement.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() > 0)
                {
                    return result.EnumerateArray()
                        .Select(r => r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""))
                        .ToList();
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            await Task.Delay(500);
        }
        var targets = await TryGetAsync("api/v1/targets");
        throw new TimeoutException($"Prometheus: no series for {promQl} within {timeout}; last answer: {last}\ntargets: {targets}\n{Output}");
    }

    private async Task<string> TryGetAsync(string path)
    {
        try
        {
            return await _http.GetStringAsync(path);
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
        _dir.Dispose();
    }
}
