using Microsoft.Extensions.Options;
using ServerlessMonitor.Storage.Sqlite;
using ServerlessMonitor.Storage.Tables;

namespace ServerlessMonitor.Storage;

public static class StorageExtensions
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new MonitorTables(sp.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix));
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ITableStore>(sp => new MeteredTableStore(
            CreateStore(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<IHostEnvironment>()),
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddHostedService<TableInitializer>();
        return builder;
    }

    private static ITableStore CreateStore(StorageOptions options, IHostEnvironment environment) => options.Mode switch
    {
        StorageMode.Sqlite => new SqliteTableStore(Path.Combine(environment.ContentRootPath, options.SqlitePath)),
        _ => TableStoreConnection.FromOptions(options).CreateStore(),
    };
}

/// <summary>Creates the tables before the app takes requests.</summary>
internal sealed class TableInitializer(ITableStore store, MonitorTables tables) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var table in tables.All)
        {
            await store.CreateTableIfNotExistsAsync(table, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
