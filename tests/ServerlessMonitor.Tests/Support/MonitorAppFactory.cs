using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ServerlessMonitor.Tests.Support;

/// <summary>
/// The app in memory, configured through the same settings an operator uses. Each factory gets its
/// own SQLite file, so tests never share state.
/// </summary>
public sealed class MonitorAppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly TempDirectory _dir = new();

    public MonitorAppFactory(string catalogJson, IDictionary<string, string?>? settings = null, bool hosted = true)
    {
        _settings = new Dictionary<string, string?>
        {
            ["Monitor:Catalog"] = _dir.Write("monitors.json", catalogJson),
            ["Storage:Mode"] = "Sqlite",
            ["Storage:SqlitePath"] = _dir.File("monitor.db"),
            ["Monitor:ConfirmationDelay"] = "00:00:00",
        };
        if (hosted)
        {
            // Hosted mode: nothing is scheduled, the test fires POST /ProbeTimer like the Functions host.
            _settings["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7999";
        }
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            _settings[k] = v;
        }
    }

    public ManualClock Clock { get; } = new();

    /// <summary>What the app logged (Information and above), in order.</summary>
    public LogCapture Logs { get; } = new();

    public string CatalogPath => _settings["Monitor:Catalog"]!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in _settings)
        {
            builder.UseSetting(k, v);
        }
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    public Task<HttpResponseMessage> FireProbeTimerAsync(bool payloadAsString = false, bool isPastDue = false) =>
        FireTimerAsync("ProbeTimer", payloadAsString, isPastDue);

    /// <summary>Fires a timer function the way the Functions host does and returns the invocation response.</summary>
    public async Task<HttpResponseMessage> FireTimerAsync(string function, bool payloadAsString = false, bool isPastDue = false)
    {
        using var content = HostPayload.Timer(function, now: Clock.GetUtcNow(), asString: payloadAsString, isPastDue: isPastDue);
        return await CreateClient().PostAsync($"/{function}", content);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}
