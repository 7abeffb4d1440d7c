using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// The probe step over shards: a few shards side by side, each endpoint probed for its slot and handed to the gate; what
/// the gate lets through starts recording at once and runs on in the recording.
/// </summary>
public sealed class ShardProbing(EndpointProber prober, ProbeWriter writer, IOptions<MonitorOptions> options)
{
    // Shards running side by side; they share the instance's probe slots, so this only keeps one shard's slowest
    // endpoint (a timeout, a confirmation delay) from holding the next shards back.
    private const int Workers = 4;

    /// <summary>
    /// Probes every shard. With <paramref name="problems"/> (a cycle in process) one shard's exception is logged as that
    /// shard's problem and the others go on; without (a shard from the queue) it is thrown.
    /// </summary>
    internal async Task ProbeAsync(IReadOnlyList<ProbeShard> shards, MonitorCatalog catalog, CycleGate gate, Recording recording,
        CycleProblems? problems, CancellationToken ct)
    {
        // Without problems a failed worker stops reading the channel, so that mode is for one shard (ShardRunner), whose
        // write never waits on a worker; with problems every worker keeps reading and the writer never waits forever.
        var channel = Channel.CreateBounded<ProbeShard>(new BoundedChannelOptions(Workers) { SingleWriter = true });
        var workers = Enumerable.Range(0, Math.Min(Workers, shards.Count)).Select(_ => Task.Run(async () =>
        {
            await foreach (var shard in channel.Reader.ReadAllAsync(ct))
            {
                await CycleSteps.RunAsync(problems, $"shard {shard.Index + 1}/{shard.Count}", async () =>
                {
                    await ProbeShardAsync(shard, catalog, gate, recording, ct);
                    return true;
                }, ct);
            }
        }, ct)).ToList();
        try
        {
            foreach (var shard in shards)
            {
                await channel.Writer.WriteAsync(shard, ct);
            }
        }
        finally
        {
            channel.Writer.Complete();
        }
        await Task.WhenAll(workers);
    }

    private Task ProbeShardAsync(ProbeShard shard, MonitorCatalog catalog, CycleGate gate, Recording recording, CancellationToken ct) =>
        // More endpoints in flight than probe slots, so the ones waiting out a confirmation delay leave their slot to others.
        Parallel.ForEachAsync(shard.Resolve(catalog), new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency * 4, CancellationToken = ct },
            async (item, token) =>
            {
                var probed = await prober.ProbeAsync(catalog, item.Service, item.Endpoint, shard.Slot, token);
                foreach (var ready in gate.Admit(probed))
                {
                    recording.Add(writer.RecordAsync(ready, oncePerSlot: true, ct));
                }
            });
}
