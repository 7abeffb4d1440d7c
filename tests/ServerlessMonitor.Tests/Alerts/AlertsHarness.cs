using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>
/// The alerts feature wired the way the app wires it (<c>AddCatalog</c>, <c>AddAlerts</c>, settings by
/// name) over a SQLite file, with a manual clock. Several harnesses may share one file, like two
/// instances of the app sharing one storage account.
/// </summary>
public sealed class AlertsHarness : IDisposable
{
    public const string Service = "tiktok";
    public const string Endpoint = "web";
    public static readonly string Partition = MonitorTables.EndpointPartition(Service, Endpoint);

    private readonly ServiceProvider _services;

    public AlertsHarness(string dbPath, ManualClock clock, IDictionary<string, string?>? settings = null)
    {
        var dir = Path.GetDirectoryName(dbPath)!;
        var catalog = Path.Combine(dir, "monitors.json");
        File.WriteAllText(catalog, $$"""
            { "services": [ { "id": "{{Service}}", "name": "TikTok", "category": "social",
              "endpoints": [ { "id": "{{Endpoint}}", "url": "https://www.tiktok.com/" } ] } ] }
            """);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = dir });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Monitor:Catalog"] = catalog });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddLogging();
        builder.Services.AddOptions<MonitorOptions>().BindConfiguration(MonitorOptions.Section);
        builder.Services.AddSingleton<TimeProvider>(clock);
        Store = new SqliteTableStore(dbPath);
        builder.Services.AddSingleton(Store);
        builder.Services.AddSingleton(Tables);
        builder.AddCatalog();
        builder.AddAlerts();
        _services = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Store.CreateTableIfNotExistsAsync(Tables.Endpoints).GetAwaiter().GetResult();
    }

    public ITableStore Store { get; }

    public MonitorTables Tables { get; } = new("");

    public OutboxDispatcher Dispatcher => _services.GetRequiredService<OutboxDispatcher>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Writes an outbox row as the incident writer does, one event per call.</summary>
    public async Task<AlertEvent> WriteAlertAsync(DateTimeOffset now, string type = AlertTypes.EndpointDown, string incident = "i1",
        string service = Service, string endpoint = Endpoint)
    {
        var partition = MonitorTables.EndpointPartition(service, endpoint);
        var data = new AlertData
        {
            Service = service,
            ServiceName = "TikTok",
            Endpoint = endpoint,
            Url = "https://www.tiktok.com/",
            Status = type == AlertTypes.EndpointRecovered ? "up" : "down",
            PreviousStatus = "up",
            IncidentId = incident,
            LikelyCause = "server-error",
            Start = now.AddMinutes(-3),
            Regions = ["westeurope", "eastus"],
            LastError = "HTTP 503",
        };
        var alert = AlertEvents.Create(type, "test", service, endpoint, now, data, AlertEvents.IdSeed(partition, incident, type));
        await Get<OutboxIndex>().MarkAsync(partition, CancellationToken.None);
        await Store.ExecuteAsync(Tables.Endpoints, TableOperation.Insert(OutboxRows.Create(partition, alert, now)));
        return alert;
    }

    public Task<TableEntity?> ReadRowAsync(AlertEvent alert, string? partition = null) =>
        Store.GetAsync(Tables.Endpoints, partition ?? Partition, MonitorTables.OutboxKey(alert.Id));

    public Task<DispatchReport> DispatchAsync(string? partition = null) =>
        Dispatcher.DispatchAsync([partition ?? Partition], CancellationToken.None);

    public void Dispose() => _services.Dispose();
}
