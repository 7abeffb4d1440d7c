using System.Globalization;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// Knows when the last shard of a queued cycle is done, wherever the shards ran: each finished shard leaves a
/// row in the cycle's own partition of the Status table (<c>shards-{region}-{slot ticks}</c>, row = shard index);
/// the shard that finds all of them there completes the cycle and removes the rows. Two shards finishing at the
/// same moment may both complete it, which only rebuilds the read snapshot twice.
/// </summary>
public sealed class ShardCompletion(ITableStore store, MonitorTables tables, IOptions<MonitorOptions> options)
{
    public static string Partition(string region, DateTimeOffset slot) =>
        $"shards-{region}-{slot.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}";

    /// <summary>Marks the shard done; true when it was the last one of its cycle.</summary>
    public async Task<bool> CompleteAsync(ProbeShard shard, CancellationToken ct)
    {
        var partition = Partition(options.Value.Region, shard.Slot);
        // Upsert: a retried shard that already marked itself done changes nothing.
        await store.ExecuteAsync(tables.Status, TableOperation.UpsertReplace(new TableEntity(partition, Key(shard.Index),
            new Dictionary<string, object?> { ["Endpoints"] = shard.Endpoints.Count })), ct);
        var done = new List<string>(shard.Count);
        await foreach (var row in store.QueryAllAsync(tables.Status, partition, RowKeyRange.All, select: ["Endpoints"], ct: ct))
        {
            done.Add(row.RowKey);
        }
        if (done.Count < shard.Count)
        {
            return false;
        }
        foreach (var chunk in done.Chunk(TableStoreExtensions.MaxBatchOperations))
        {
            try
            {
                await store.SubmitBatchAsync(tables.Status, chunk.Select(k => TableOperation.Delete(partition, k)).ToList(), ct);
            }
            catch (TableStoreException e) when (e.Kind == TableErrorKind.NotFound)
            {
                // The other shard that finished at the same moment cleaned up first.
            }
        }
        return true;
    }

    private static string Key(int index) => index.ToString("D5", CultureInfo.InvariantCulture);
}
