using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Rollups;

/// <summary>
/// The RetentionTimer function (daily), per endpoint partition (<see cref="RetentionOptions"/>): result rows older than
/// Monitor:EventRetention go by row-key range; between that and Monitor:RawRetention only results that failed or changed
/// the status stay (the span is read with two columns and the rest deleted); hourly and daily rollups go by row-key range
/// after their retention. States, incidents and the outbox are other key prefixes and are never touched.
/// </summary>
internal sealed class RetentionTimerFunction(ITableStore store, MonitorTables tables, CatalogProvider catalog,
    IOptions<MonitorOptions> options, IOptions<RetentionOptions> retention, TimeProvider time) : ITimerFunction
{
    private static readonly string[] EventColumns = ["Outcome", StateRows.ChangedProperty];

    public string Name => "RetentionTimer";

    public string ScheduleSetting => $"{MonitorOptions.Section}:{nameof(MonitorOptions.RetentionSchedule)}";

    public string Schedule => options.Value.RetentionSchedule;

    public async Task<IReadOnlyList<string>> RunAsync(bool isPastDue, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var keep = retention.Value;
        var (rawFrom, eventsFrom) = keep.RetainedAt(now);
        var dailyBefore = DateOnly.FromDateTime((now - keep.DailyRollupRetention).UtcDateTime);
        long results = 0, hourly = 0, daily = 0;
        foreach (var (service, endpoint) in catalog.Current.AllEndpoints())
        {
            var partition = MonitorTables.EndpointPartition(service.Id, endpoint.Id);
            results += await DeleteRangeAsync(partition, MonitorTables.ResultsOlderThan(eventsFrom), ct);
            results += await DeleteRawAsync(partition, MonitorTables.ResultsBetween(eventsFrom, rawFrom), ct);
            hourly += await DeleteRangeAsync(partition, RollupKeys.HoursBefore(now - keep.HourlyRollupRetention), ct);
            daily += await DeleteRangeAsync(partition, RollupKeys.DaysBefore(dailyBefore), ct);
        }
        return [$"retention: deleted {results} result rows (all before {eventsFrom:u}, steady ones before {rawFrom:u}), {hourly} hourly and {daily} daily rollups"];
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

    /// <summary>The steady results of the span: read page by page (continuing after the last key read, so deletes skip nothing), events kept.</summary>
    private async Task<int> DeleteRawAsync(string partition, RowKeyRange range, CancellationToken ct)
    {
        var deleted = 0;
        string? token = null;
        do
        {
            var page = await store.QueryAsync(tables.Endpoints, partition, range, select: EventColumns, continuationToken: token, ct: ct);
            foreach (var chunk in page.Items.Where(r => !StateRows.IsEvent(r)).Chunk(TableStoreExtensions.MaxBatchOperations))
            {
                await store.SubmitBatchAsync(tables.Endpoints, chunk.Select(e => TableOperation.Delete(partition, e.RowKey)).ToList(), ct);
                deleted += chunk.Length;
            }
            token = page.ContinuationToken;
        }
        while (token is not null);
        return deleted;
    }
}
