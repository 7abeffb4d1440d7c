using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Rollups;

/// <summary>
/// The RetentionTimer function (daily): deletes raw result rows and hourly rollups older than
/// Monitor:RetentionDays. Each is one row-key range per endpoint partition; states, incidents, daily
/// rollups (a year of uptime bars and comparisons) and the outbox are other key prefixes and are never touched.
/// </summary>
internal sealed class RetentionTimerFunction(ITableStore store, MonitorTables tables, CatalogProvider catalog,
    IOptions<MonitorOptions> options, TimeProvider time) : ITimerFunction
{
    public string Name => "RetentionTimer";

    public string ScheduleSetting => $"{MonitorOptions.Section}:{nameof(MonitorOptions.RetentionSchedule)}";

    public string Schedule => options.Value.RetentionSchedule;

    public async Task<IReadOnlyList<string>> RunAsync(bool isPastDue, CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().AddDays(-options.Value.RetentionDays);
        var deleted = 0;
        var hourly = 0;
        var partitions = 0;
        foreach (var (service, endpoint) in catalog.Current.AllEndpoints())
        {
            var partition = MonitorTables.EndpointPartition(service.Id, endpoint.Id);
            var n = await DeleteRangeAsync(partition, MonitorTables.ResultsOlderThan(cutoff), ct);
            hourly += await DeleteRangeAsync(partition, RollupKeys.HoursBefore(cutoff), ct);
            deleted += n;
            partitions += n > 0 ? 1 : 0;
        }
        return [$"retention: deleted {deleted} result rows older than {cutoff:u} in {partitions} endpoint partitions, and {hourly} hourly rollups"];
    }

    private async Task<int> DeleteRangeAsync(string partition, RowKeyRange range, CancellationToken ct)
    {
        var deleted = 0;
        while (true)
        {
            // Re-query from the start each round: deleting while paging would skip rows.
            var page = await store.QueryAsync(tables.Endpoints, partition, range, top: TableStoreExtensions.MaxBatchOperations, select: ["RowKey"], ct: ct);
            if (page.Items.Count == 0)
            {
                return deleted;
            }
            await store.SubmitBatchAsync(tables.Endpoints, page.Items.Select(e => TableOperation.Delete(partition, e.RowKey)).ToList(), ct);
            deleted += page.Items.Count;
        }
    }
}
