using ServerlessMonitor.Catalog;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// The queue-triggered side of a sharded cycle, host-neutral: the Functions app's ProbeShard function hands it
/// each probe-shards message, ProbeShardPoison each message the host gave up on.
/// </summary>
public sealed class ProbeShardFunction(ShardRunner runner, ShardCompletion completions, ProbeCycle cycle, CatalogProvider catalog,
    StatusBoard board, LiveRollups live, ILogger<ProbeShardFunction> logger)
{
    /// <summary>
    /// Probes and records one shard. A failure throws, so the host retries the message (the slot makes the retry
    /// record only what the failed attempt did not); a message that is not a shard is logged and dropped, since
    /// no retry can fix it.
    /// </summary>
    public async Task<string> RunAsync(string message, CancellationToken ct)
    {
        if (Parse(message) is not { } shard)
        {
            return "probe shard dropped: not a probe shard message";
        }
        using var trace = Telemetry.ShardTrace.Start(shard);
        var report = await runner.RunAsync(shard, catalog.Current, ct);
        trace.Completed();
        var (completion, rows) = await completions.CompleteAsync(shard, failed: false, ShardSummary.Properties(Summaries(report.Recorded)), ct);
        if (completion.Last)
        {
            Learn(rows);
        }
        await CompleteCycleAsync(shard, completion, ct);
        return $"probe shard {shard.Index + 1}/{shard.Count} of {shard.Slot:O}: {report.Recorded.Count} of {report.Endpoints} endpoints recorded"
               + Describe(completion);
    }

    /// <summary>A shard that failed every attempt: its endpoints say so in their status instead of silently going stale.</summary>
    public async Task<string> PoisonAsync(string message, CancellationToken ct)
    {
        if (Parse(message) is not { } shard)
        {
            return "poison message dropped: not a probe shard message";
        }
        Telemetry.ShardTrace.Poisoned();
        var problem = $"not probed at {shard.Slot:yyyy-MM-dd HH:mm:ss}Z: its probe shard failed every attempt and was moved to {StorageShardQueue.PoisonName}";
        await board.MarkNotProbedAsync(shard.Endpoints.Select(e => (e.Service, e.Endpoint)), problem, ct);
        logger.LogError("Probe shard {Index}/{Count} of {Slot:O} ({Endpoints} endpoints) failed every attempt; its endpoints are marked not probed",
            shard.Index + 1, shard.Count, shard.Slot, shard.Endpoints.Count);
        // Its slot counts as over (failed), so the cycle still completes and the snapshot is rebuilt.
        var (completion, rows) = await completions.CompleteAsync(shard, failed: true, new Dictionary<string, object?>(), ct);
        if (completion.Last)
        {
            Learn(rows);
        }
        await CompleteCycleAsync(shard, completion, ct);
        return $"{shard.Endpoints.Count} endpoints marked not probed" + Describe(completion);
    }

    /// <summary>
    /// The last shard rebuilds the read snapshot. Its completion rows are gone by now, so a failure here is logged, not
    /// thrown: a retry could never complete the cycle again, and the next cycle rebuilds the snapshot anyway.
    /// </summary>
    private async Task CompleteCycleAsync(ProbeShard shard, CycleCompletion completion, CancellationToken ct)
    {
        if (!completion.Last)
        {
            return;
        }
        try
        {
            await cycle.NotifyAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(e, "Probe cycle {Slot:O} completed but its read snapshot was not rebuilt: {Reason}; the next cycle rebuilds it",
                shard.Slot, LogText.Escape(e.Message));
        }
    }

    /// <summary>What this shard's probes wrote, as <see cref="LiveRollups"/> holds it after recording.</summary>
    private List<(string Partition, LiveRows Rows)> Summaries(IReadOnlyList<RecordedProbe> recorded)
    {
        var endpoints = new List<(string, LiveRows)>(recorded.Count);
        foreach (var r in recorded)
        {
            var partition = MonitorTables.EndpointPartition(r.Service.Id, r.Endpoint.Id);
            if (live.Get(partition) is { } rows)
            {
                endpoints.Add((partition, rows));
            }
        }
        return endpoints;
    }

    /// <summary>What the other shards' probes wrote, from their completion rows: the snapshot build serves it from memory.</summary>
    private void Learn(IReadOnlyList<TableEntity> rows)
    {
        foreach (var row in rows)
        {
            try
            {
                foreach (var (partition, recorded) in ShardSummary.Read(row))
                {
                    live.Learned(partition, recorded);
                }
            }
            catch (FormatException e)
            {
                logger.LogWarning("Shard summary not used, its endpoints are read instead: {Problem}", LogText.Escape(e.Message));
            }
        }
    }

    private static string Describe(CycleCompletion completion) =>
        !completion.Last ? "" : completion.FailedShards == 0 ? "; cycle complete" : $"; cycle complete ({completion.FailedShards} shard(s) failed every attempt)";

    private ProbeShard? Parse(string message)
    {
        try
        {
            return ProbeShard.FromJson(message);
        }
        catch (FormatException e)
        {
            logger.LogError("Probe shard message dropped: {Problem}", LogText.Escape(e.Message));
            return null;
        }
    }
}
