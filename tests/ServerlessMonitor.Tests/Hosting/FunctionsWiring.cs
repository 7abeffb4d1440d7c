extern alias functions;
using functions::ServerlessMonitor.Functions;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Hosting;

/// <summary>
/// The Functions app's own service wiring (the same <c>AddMonitorFunctions</c> its Program runs), built
/// but not started: nothing connects to a Functions host, so the function classes are called directly.
/// </summary>
public sealed class FunctionsWiring : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TempDirectory _dir;

    private FunctionsWiring(IHost host, TempDirectory dir, ManualClock clock)
    {
        _host = host;
        _dir = dir;
        Clock = clock;
    }

    public ManualClock Clock { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<FunctionsWiring> StartAsync(string catalogJson, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var dir = new TempDirectory();
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Monitor:Catalog"] = dir.Write("monitors.json", catalogJson),
            ["Storage:Mode"] = "Sqlite",
            ["Storage:SqlitePath"] = dir.File("monitor.db"),
            ["Monitor:ConfirmationDelay"] = "00:00:00",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddMonitorFunctions();
        var clock = new ManualClock();
        builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        configureServices?.Invoke(builder.Services);
        var wiring = new FunctionsWiring(builder.Build(), dir, clock);
        // What the host's start would do for the monitor: create the tables.
        await ActivatorUtilities.CreateInstance<TableInitializer>(wiring.Services).StartAsync(CancellationToken.None);
        return wiring;
    }

    /// <summary>A function class as the worker creates it, with its dependencies from the app's services.</summary>
    public T Function<T>() where T : class => ActivatorUtilities.CreateInstance<T>(Services);

    /// <summary>Runs what an HTTP function returns against a request, as the worker's ASP.NET Core integration does.</summary>
    public async Task<FunctionAnswer> HttpAsync(Func<HttpRequest, IResult> function, string method, string path, Action<HttpRequest>? prepare = null)
    {
        var http = new DefaultHttpContext { RequestServices = Services };
        http.Request.Method = method;
        http.Request.Path = path;
        prepare?.Invoke(http.Request);
        using var body = new MemoryStream();
        http.Response.Body = body;
        await function(http.Request).ExecuteAsync(http);
        return new FunctionAnswer(http.Response.StatusCode, http.Response.Headers, http.Response.ContentType, Encoding.UTF8.GetString(body.ToArray()));
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
        _dir.Dispose();
    }
}

public sealed record FunctionAnswer(int Status, IHeaderDictionary Headers, string? ContentType, string Body);
