using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;

namespace ServerlessMonitor.Tests.Support;

/// <summary>The app's own table store with its reads counted, for tests that prove a request reads nothing.</summary>
public sealed class CountingTableStore(ITableStore inner) : DelegatingTableStore(inner)
{
    private long _reads;
    private long _rows;

    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Rows the queries returned.</summary>
    public long RowsRead => Interlocked.Read(ref _rows);

    /// <summary>A new SQLite store in <paramref name="dir"/>, the monitor's tables created, and a counter over it.</summary>
    internal static async Task<(SqliteTableStore Sqlite, CountingTableStore Store, MonitorTables Tables)> OverNewSqliteAsync(TempDirectory dir)
    {
        var sqlite = new SqliteTableStore(dir.File("counted.db"));
        var tables = new MonitorTables("");
        foreach (var table in tables.All)
        {
            await sqlite.CreateTableIfNotExistsAsync(table);
        }
        return (sqlite, new CountingTableStore(sqlite), tables);
    }

    /// <summary>Wraps whatever store the app registered.</summary>
    public static void Install(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(ITableStore));
        services.AddSingleton(sp => new CountingTableStore((ITableStore)original.ImplementationFactory!(sp)));
        services.Replace(ServiceDescriptor.Singleton<ITableStore>(sp => sp.GetRequiredService<CountingTableStore>()));
    }

    public override Task<TableEntity?> GetAsync(string table, string partitionKey, string rowKey, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _reads);
        return Inner.GetAsync(table, partitionKey, rowKey, ct);
    }

    public override async Task<TablePage> QueryAsync(string table, string partitionKey, RowKeyRange range, int? top = null, IReadOnlyList<string>? select = null,
        string? continuationToken = null, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _reads);
        var page = await Inner.QueryAsync(table, partitionKey, range, top, select, continuationToken, ct);
        Interlocked.Add(ref _rows, page.Items.Count);
        return page;
    }
}
