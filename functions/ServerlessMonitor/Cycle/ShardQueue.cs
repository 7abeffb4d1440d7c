using Azure.Identity;
using Azure.Storage.Queues;

namespace ServerlessMonitor.Cycle;

/// <summary>Where a cycle's shards go when they are not run in process.</summary>
public interface IShardQueue
{
    Task EnqueueAsync(IReadOnlyList<ProbeShard> shards, CancellationToken ct);
}

/// <summary>
/// The Functions app's probe-shards Storage queue, in the storage account the Functions host itself uses
/// (AzureWebJobsStorage: a connection string, or identity-based <c>AzureWebJobsStorage__queueServiceUri</c> with
/// <c>__clientId</c>, as the infrastructure sets it). Messages are Base64 like the queue trigger expects.
/// </summary>
public sealed class StorageShardQueue(QueueClient client) : IShardQueue
{
    public const string Name = "probe-shards";

    /// <summary>Where the Functions host moves a shard after its last failed attempt.</summary>
    public const string PoisonName = Name + "-poison";

    private const int ParallelSends = 8;
    private volatile bool _created;

    public async Task EnqueueAsync(IReadOnlyList<ProbeShard> shards, CancellationToken ct)
    {
        if (!_created)
        {
            await client.CreateIfNotExistsAsync(cancellationToken: ct);
            _created = true;
        }
        await Parallel.ForEachAsync(shards, new ParallelOptions { MaxDegreeOfParallelism = ParallelSends, CancellationToken = ct },
            async (shard, token) => await client.SendMessageAsync(Telemetry.ShardTrace.Stamp(shard).ToJson(), token));
    }

    /// <summary>The queue client from the host's storage settings; null when they name no storage account.</summary>
    public static QueueClient? FromConfiguration(IConfiguration configuration, string queueName = Name)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (configuration["AzureWebJobsStorage"] is { Length: > 0 } connectionString)
        {
            return new QueueClient(connectionString, queueName, options);
        }
        if (configuration["AzureWebJobsStorage:queueServiceUri"] is { Length: > 0 } serviceUri)
        {
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = configuration["AzureWebJobsStorage:clientId"] is { Length: > 0 } id ? id : null,
            });
            return new QueueClient(new Uri(new Uri(serviceUri.TrimEnd('/') + "/"), queueName), credential, options);
        }
        return null;
    }
}
