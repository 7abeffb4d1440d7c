using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Cycle;

namespace ServerlessMonitor.Functions;

/// <summary>
/// The fan-out side of a probe cycle: ProbeTimer queues a big cycle as shards on probe-shards, the host runs
/// ProbeShard for each (scaling instances out with the queue's length) and retries a failed one; after the last
/// attempt it moves the message to probe-shards-poison, where ProbeShardPoison marks its endpoints not probed.
/// </summary>
public sealed class QueueFunctions(ProbeShardFunction shards, ILogger<QueueFunctions> logger)
{
    [Function("ProbeShard")]
    public async Task ProbeShard([QueueTrigger(StorageShardQueue.Name)] string message, CancellationToken ct) =>
        logger.LogInformation("ProbeShard: {Line}", await shards.RunAsync(message, ct));

    [Function("ProbeShardPoison")]
    public async Task ProbeShardPoison([QueueTrigger(StorageShardQueue.PoisonName)] string message, CancellationToken ct) =>
        logger.LogInformation("ProbeShardPoison: {Line}", await shards.PoisonAsync(message, ct));
}
