using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Benchmarks;

/// <summary>History a long-running monitor would have, written before the benchmark's first cycle.</summary>
internal static class BenchHistory
{
    /// <summary>
    /// <c>--history-days N</c>: N days of daily rollups before the first cycle for every endpoint (one row a day, 1,440
    /// checks), as a monitor that has run for N days has them; without it the history is the run's own few minutes.
    /// </summary>
    public static async Task SeedAsync(IServiceProvider services, DateTimeOffset now, int days)
    {
        if (days <= 0)
        {
            return;
        }
        var store = services.GetRequiredService<ITableStore>();
        var tables = services.GetRequiredService<MonitorTables>();
        var day = RollupTotals.Empty with { Up = 1_430, Down = 10, LatencySumMs = 1_430 * 120.0, Histogram = [0, 0, 1_430, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] };
        var seeding = Stopwatch.StartNew();
        foreach (var service in services.GetRequiredService<CatalogProvider>().Current.Services)
        {
            foreach (var endpoint in service.Endpoints)
            {
                var rows = Enumerable.Range(1, days).Select(i => TableOperation.UpsertReplace(new TableEntity(
                    MonitorTables.EndpointPartition(service.Id, endpoint.Id), RollupKeys.Daily(now.AddDays(-i), "local"), day.ToProperties())));
                foreach (var batch in rows.Chunk(TableStoreExtensions.MaxBatchOperations))
                {
                    await store.SubmitBatchAsync(tables.Endpoints, batch);
                }
            }
        }
        Console.Error.WriteLine($"seeded {days} days of daily rollups in {seeding.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>
    /// <c>--report-days N</c>: N days of user reports before the first cycle for every service, one 5-minute bucket an
    /// hour (a busy service has one every 5 minutes), as the comparison's year of reports would find them.
    /// </summary>
    public static async Task SeedReportsAsync(IServiceProvider services, DateTimeOffset now, int days)
    {
        if (days <= 0)
        {
            return;
        }
        var store = services.GetRequiredService<ITableStore>();
        var tables = services.GetRequiredService<MonitorTables>();
        var seeding = Stopwatch.StartNew();
        foreach (var service in services.GetRequiredService<CatalogProvider>().Current.Services)
        {
            var rows = Enumerable.Range(1, days * 24).Select(h => TableOperation.UpsertReplace(
                Reports.ReportRows.Add(null, service.Id, now.AddHours(-h), "app", null, now.AddHours(-h), 0)));
            foreach (var batch in rows.Chunk(TableStoreExtensions.MaxBatchOperations))
            {
                await store.SubmitBatchAsync(tables.Reports, batch);
            }
        }
        Console.Error.WriteLine($"seeded {days} days of user reports in {seeding.Elapsed.TotalSeconds:F1} s");
    }
}
