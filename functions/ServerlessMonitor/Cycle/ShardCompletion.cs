using System.Globalization;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// Knows when the last shard of a queued cycle is over, wherever the shards ran: each shard that finished — or that
/// failed every attempt (the poison handler marks it failed) — leaves a row in its region's partition of the Status
/// table (<c>shards-{region}</c>, row <c>{slot ticks}-{shard index}</c>); the one that finds all of its cycle's rows
/// there completes the cycle and deletes them. Two shards finishing at the same moment may both see every row and
/// both complete the cycle, which only rebuilds the read snapshot twice. A row written after its cycle was completed
/// (a late retry of a shard, a poison message handled after the last success) can never complete anything again:
/// <see cref="SweepAsync"/> deletes such leftovers once they are older than <see cref="KeepFor"/>.
/// </summary>
public sealed class ShardCompletion(ITableStore store, MonitorTables tables, IOptions<MonitorOptions> options, ILogger<ShardCompletion> logger)
{
    /// <summary>Longer than any shard keeps being retried by the host.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromHours(6);

    private const string FailedProperty = "Failed";

    public string Partition => $"shards-{options.Value.Region}";

    /// <summary>Marks the shard done (or failed for good); tells whether it was the last one of its cycle.</summary>
    public async Task<CycleCompletion> CompleteAsync(ProbeShard shard, bool failed, CancellationToken ct) =>
        (await CompleteAsync(shard, failed, new Dictionary<string, object?>(), ct)).Completion;

    /// <summary>
    /// The same, the row carrying <paramref name="summary"/> (<see cref="ShardSummary"/>); the last shard gets every row of
    /// its cycle back with their summaries, read once, before they are deleted.
    /// </summary>
    public async Task<(CycleCompletion Completion, IReadOnlyList<TableEntity> Rows)> CompleteAsync(ProbeShard shard, bool failed, IReadOnlyDictionary<string, object?> summary, CancellationToken ct)
    {
        var properties = new Dictionary<string, object?>(summary) { ["Endpoints"] = shard.Endpoints.Count, [FailedProperty] = failed };
        // Upsert: a retried shard that already marked itself done changes nothing.
        await store.ExecuteAsync(tables.Status, TableOperation.UpsertReplace(new TableEntity(Partition, Key(shard.Slot, shard.Index), properties)), ct);
        var rows = new List<TableEntity>(shard.Count);
        await foreach (var row in store.QueryAllAsync(tables.Status, Partition, RowKeyRange.Prefix(CyclePrefix(shard.Slot)), select: [FailedProperty], ct: ct))
        {
            rows.Add(row);
        }
        if (rows.Count < shard.Count)
        {
            return (new CycleCompletion(false, 0), []);
        }
        // Only the last shard reads the summaries (every shard reading every row would grow with the square of the shards).
        var whole = new List<TableEntity>(rows.Count);
        await foreach (var row in store.QueryAllAsync(tables.Status, Partition, RowKeyRange.Prefix(CyclePrefix(shard.Slot)), ct: ct))
        {
            whole.Add(row);
        }
        await DeleteAsync(rows.Select(r => r.RowKey), ct);
        return (new CycleCompletion(true, rows.Count(r => r.Get<bool>(FailedProperty))), whole);
    }

    /// <summary>Deletes completion rows of cycles older than <see cref="KeepFor"/>; returns how many.</summary>
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken ct)
    {
        var keys = new List<string>();
        await foreach (var row in store.QueryAllAsync(tables.Status, Partition, new RowKeyRange(null, CyclePrefix(now - KeepFor)), select: ["Endpoints"], ct: ct))
        {
            keys.Add(row.RowKey);
        }
        await DeleteAsync(keys, ct);
        if (keys.Count > 0)
        {
            logger.LogInformation("Swept {Rows} shard completion rows of cycles before {Cutoff:O}", keys.Count, now - KeepFor);
        }
        return keys.Count;
    }

    private async Task DeleteAsync(IEnumerable<string> keys, CancellationToken ct)
    {
        foreach (var chunk in keys.Chunk(TableStoreExtensions.MaxBatchOperations))
        {
            try
            {
                await store.SubmitBatchAsync(tables.Status, chunk.Select(k => TableOperation.Delete(Partition, k)).ToList(), ct);
            }
            catch (TableStoreException e) when (e.Kind == TableErrorKind.NotFound)
            {
                // The other shard that finished at the same moment deleted some first: delete the rest one by one.
                foreach (var key in chunk)
                {
                    await DeleteOneAsync(key, ct);
                }
            }
        }
    }

    private async Task DeleteOneAsync(string key, CancellationToken ct)
    {
        try
        {
            await store.ExecuteAsync(tables.Status, TableOperation.Delete(Partition, key), ct);
        }
        catch (TableStoreException e) when (e.Kind == TableErrorKind.NotFound)
        {
        }
    }

    private static string CyclePrefix(DateTimeOffset slot) => slot.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-";

    private static string Key(DateTimeOffset slot, int index) => CyclePrefix(slot) + index.ToString("D5", CultureInfo.InvariantCulture);
}

/// <summary>Whether a shard's completion was its cycle's last, and how many of the cycle's shards failed every attempt.</summary>
public sealed record CycleCompletion(bool Last, int FailedShards);
