using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OutageLab;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// What a steady healthy HTTP check adds to the store (issue 24): on SQLite the growth of the file plus its WAL, after a
/// checkpoint, per check over the measured cycles (the rows every endpoint creates on its first cycles are left out); on
/// Table Storage the billed size of one steady result entity (Azure's formula: 4 + 2·(PK+RK) + per property 8 + 2·name + value).
/// </summary>
internal static class BytesBench
{
    public static async Task RunAsync(IConfiguration options)
    {
        var endpoints = int.Parse(options["endpoints"] ?? "200", CultureInfo.InvariantCulture);
        var cycles = int.Parse(options["cycles"] ?? "30", CultureInfo.InvariantCulture);
        await using var lab = await OutageLabServer.StartAsync(port: 0);
        var work = Directory.CreateTempSubdirectory("sm-bytes");
        var db = Path.Combine(work.FullName, "bytes.db");
        var catalogPath = Path.Combine(work.FullName, "monitors.json");
        File.WriteAllText(catalogPath, BenchCatalog.Build(lab, endpoints));

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Monitor:Catalog"] = catalogPath,
            ["Storage:Mode"] = "Sqlite",
            ["Storage:SqlitePath"] = db,
        });
        var clock = new SteppingClock();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddMonitor(MonitorHost.Standalone);
        using var host = builder.Build();
        await host.StartAsync();
        var cycle = host.Services.GetRequiredService<ProbeCycle>();
        // Every endpoint's first cycles create its state, rollup and global rows: not what a check adds.
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await cycle.RunAsync(CancellationToken.None);
        }
        var before = Checkpointed(db);
        var checks = 0;
        for (var i = 0; i < cycles; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            checks += (await cycle.RunAsync(CancellationToken.None)).Probed;
        }
        await host.StopAsync();
        var after = Checkpointed(db);
        var store = host.Services.GetRequiredService<ITableStore>();
        var tables = host.Services.GetRequiredService<MonitorTables>();
        var result = (await store.QueryAsync(tables.Endpoints, MonitorTables.EndpointPartition("svc0", "e0"), RowKeyRange.Prefix("result-"), top: 1)).Items[0];
        work.Delete(recursive: true);
        Console.WriteLine(FormattableString.Invariant(
            $"BENCH bytes_per_result backend=sqlite endpoints={endpoints} checks={checks} bytes_per_check={(double)(after - before) / checks:F0} table_entity_bytes={EntityBytes(result)}"));
    }

    /// <summary>The file and its WAL after a checkpoint from another connection (as the monitor's checkpointer does).</summary>
    private static long Checkpointed(string db)
    {
        using (var c = new SqliteConnection($"Data Source={db};Pooling=false"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            cmd.ExecuteNonQuery();
        }
        return new FileInfo(db).Length + (File.Exists(db + "-wal") ? new FileInfo(db + "-wal").Length : 0);
    }

    private static long EntityBytes(TableEntity e) =>
        4 + 2 * (e.PartitionKey.Length + e.RowKey.Length) + e.Properties.Where(p => p.Value is not null).Sum(p => 8 + 2 * p.Key.Length + p.Value switch
        {
            string s => 4 + 2 * s.Length,
            int => 4,
            bool => 1,
            byte[] b => 4 + b.Length,
            Guid => 16,
            _ => 8,
        });
}
