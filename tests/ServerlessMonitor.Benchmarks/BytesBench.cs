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
        var tablesBefore = BytesPerTable(db);
        var checks = 0;
        for (var i = 0; i < cycles; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            checks += (await cycle.RunAsync(CancellationToken.None)).Probed;
        }
        await host.StopAsync();
        var wal = File.Exists(db + "-wal") ? new FileInfo(db + "-wal").Length : 0;
        var after = Checkpointed(db);
        var tablesAfter = BytesPerTable(db);
        var store = host.Services.GetRequiredService<ITableStore>();
        var tables = host.Services.GetRequiredService<MonitorTables>();
        var result = (await store.QueryAsync(tables.Endpoints, MonitorTables.EndpointPartition("svc0", "e0"), RowKeyRange.Prefix("result-"), top: 1)).Items[0];
        work.Delete(recursive: true);
        // Where the growth went: each kind of row's payload per check, and the log's size.
        Console.WriteLine("payload bytes per check: " + string.Join(" ", tablesAfter.Select(t => FormattableString.Invariant(
            $"{t.Key}={(double)(t.Value - tablesBefore.GetValueOrDefault(t.Key)) / checks:F1}"))));
        Console.WriteLine(FormattableString.Invariant(
            $"BENCH bytes_per_result backend=sqlite endpoints={endpoints} checks={checks} bytes_per_check={(double)(after - before) / checks:F0} table_entity_bytes={EntityBytes(result)} wal_bytes_before_checkpoint={wal}"));
    }

    /// <summary>
    /// The file and its WAL after a TRUNCATE checkpoint from another connection (as the monitor's checkpointer does once the
    /// log passes its bound): the log is a bounded buffer the pages pass through, not data the checks keep. Its size before
    /// the checkpoint is printed apart (wal_bytes_before_checkpoint).
    /// </summary>
    private static long Checkpointed(string db)
    {
        using (var c = new SqliteConnection($"Data Source={db};Pooling=false"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            // Busy (the monitor's own checkpointer or writer was at it): again, until the log is copied and emptied.
            for (var attempt = 0; attempt < 100 && Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) != 0; attempt++)
            {
                Thread.Sleep(100);
            }
        }
        return new FileInfo(db).Length + (File.Exists(db + "-wal") ? new FileInfo(db + "-wal").Length : 0);
    }

    /// <summary>
    /// The payload bytes (keys and values, without SQLite's page overhead) of each kind of row: generic rows by table and
    /// row-key prefix, packed results by their own table. The bundled SQLite has no dbstat.
    /// </summary>
    private static Dictionary<string, long> BytesPerTable(string db)
    {
        using var c = new SqliteConnection($"Data Source={db};Pooling=false");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT tbl || ':' || CASE WHEN instr(rk, '-') > 0 THEN substr(rk, 1, instr(rk, '-')) ELSE '*' END,
                SUM(length(tbl) + length(pk) + length(rk) + length(etag) + length(ts) + length(props))
            FROM rows GROUP BY 1
            """ + (Packed(c) ? " UNION ALL SELECT 'packed', SUM(length(v) + length(region) + 17) FROM results_v1 UNION ALL SELECT 'names', SUM(length(text) + 2) FROM names" : "");
        using var r = cmd.ExecuteReader();
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        while (r.Read())
        {
            sizes[r.GetString(0)] = r.IsDBNull(1) ? 0 : r.GetInt64(1);
        }
        return sizes;
    }

    // The baseline (before issue 24's packed results) has no results_v1: the same bench measures both.
    private static bool Packed(SqliteConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'results_v1'";
        return (long)cmd.ExecuteScalar()! > 0;
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
