using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Standalone;

namespace ServerlessMonitor.Tests.Support;

/// <summary>
/// The app in memory, configured through the same settings an operator uses. Each factory gets its
/// own SQLite file, so tests never share state.
/// </summary>
public sealed class MonitorAppFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly TempDirectory _dir = new();

    private readonly MonitorHost _host;

    /// <param name="host">Whose wiring to pose as: the Functions host's (function keys in front, forwarded client addresses) or standalone's.</param>
    public MonitorAppFactory(string catalogJson, IDictionary<string, string?>? settings = null, MonitorHost? host = null)
    {
        _host = host ?? MonitorHost.Standalone;
        _settings = new Dictionary<string, string?>
        {
            ["Monitor:Catalog"] = _dir.Write("monitors.json", catalogJson),
            ["Storage:Mode"] = "Sqlite",
            ["Storage:SqlitePath"] = _dir.File("monitor.db"),
            ["Monitor:ConfirmationDelay"] = "00:00:00",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            _settings[k] = v;
        }
    }

    public ManualClock Clock { get; } = new();

    /// <summary>What the app logged (Information and above), in order.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>Changes to the app's services on top of its own wiring (e.g. a counting table store).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    public string CatalogPath => _settings["Monitor:Catalog"]!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (k, v) in _settings)
        {
            builder.UseSetting(k, v);
        }
        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            services.Replace(ServiceDescriptor.Singleton(_host));
            // The test fires the timers itself (as the Functions host would), on its own clock.
            foreach (var scheduler in services.Where(d => d.ImplementationType == typeof(TimerScheduler)).ToList())
            {
                services.Remove(scheduler);
            }
            ConfigureServices?.Invoke(services);
        });
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    public Task<IReadOnlyList<string>> FireProbeTimerAsync(bool isPastDue = false) => FireTimerAsync("ProbeTimer", isPastDue);

    /// <summary>Runs a timer function once, as its trigger would, and returns what it reports.</summary>
    public Task<IReadOnlyList<string>> FireTimerAsync(string function, bool isPastDue = false) =>
        Services.GetServices<ITimerFunction>().Single(f => f.Name == function).RunAsync(isPastDue, CancellationToken.None);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}
