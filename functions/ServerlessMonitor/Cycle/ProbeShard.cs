using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// A slice of one probe cycle: the endpoints it carries and the scheduled slot they are probed for. The slot
/// is the observations' time, which makes a shard idempotent: an endpoint whose state already has a check at
/// or after the slot is not recorded again, so a shard retried after a partial failure counts each endpoint once.
/// </summary>
public sealed record ProbeShard(
    [property: JsonPropertyName("slot")] DateTimeOffset Slot,
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("endpoints")] IReadOnlyList<ShardEndpoint> Endpoints)
{
    /// <summary>The W3C traceparent of the cycle that queued the shard (<see cref="Telemetry.ShardTrace"/>).</summary>
    [JsonPropertyName("traceparent"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceParent { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, ShardJsonContext.Default.ProbeShard);

    /// <summary>Reads a queue message; a message that is not a shard is a <see cref="FormatException"/> naming what is wrong.</summary>
    public static ProbeShard FromJson(string json)
    {
        ProbeShard? shard;
        try
        {
            shard = JsonSerializer.Deserialize(json, ShardJsonContext.Default.ProbeShard);
        }
        catch (JsonException e)
        {
            throw new FormatException($"probe shard message is not valid JSON: {e.Message}", e);
        }
        if (shard?.Endpoints is null || shard.Endpoints.Any(e => string.IsNullOrEmpty(e.Service) || string.IsNullOrEmpty(e.Endpoint)))
        {
            throw new FormatException("probe shard message needs 'slot', 'index', 'count' and 'endpoints' with a service and an endpoint each");
        }
        return shard;
    }

    /// <summary>The carried endpoints as the catalog in force defines them; endpoints removed since planning drop out.</summary>
    public IReadOnlyList<(ServiceDefinition Service, EndpointDefinition Endpoint)> Resolve(MonitorCatalog catalog)
    {
        var services = catalog.Services.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var items = new List<(ServiceDefinition, EndpointDefinition)>(Endpoints.Count);
        foreach (var e in Endpoints)
        {
            if (services.TryGetValue(e.Service, out var service) && service.Endpoints.FirstOrDefault(x => x.Id == e.Endpoint) is { } endpoint)
            {
                items.Add((service, endpoint));
            }
        }
        return items;
    }
}

public sealed record ShardEndpoint([property: JsonPropertyName("s")] string Service, [property: JsonPropertyName("e")] string Endpoint);

[JsonSerializable(typeof(ProbeShard))]
internal sealed partial class ShardJsonContext : JsonSerializerContext;

/// <summary>Splits a cycle's due endpoints into shards. A service's endpoints stay in one shard, so service-level alerts see them all.</summary>
public static class ShardPlanner
{
    public static IReadOnlyList<ProbeShard> Plan(IEnumerable<(ServiceDefinition Service, EndpointDefinition Endpoint)> due, DateTimeOffset slot, int shardSize)
    {
        var groups = new List<List<ShardEndpoint>>();
        var current = new List<ShardEndpoint>();
        foreach (var service in due.GroupBy(d => d.Service.Id, StringComparer.Ordinal))
        {
            var endpoints = service.Select(d => new ShardEndpoint(d.Service.Id, d.Endpoint.Id)).ToList();
            if (current.Count > 0 && current.Count + endpoints.Count > shardSize)
            {
                groups.Add(current);
                current = [];
            }
            // A service bigger than a shard is the one case that is split.
            foreach (var chunk in endpoints.Chunk(shardSize))
            {
                if (current.Count + chunk.Length > shardSize)
                {
                    groups.Add(current);
                    current = [];
                }
                current.AddRange(chunk);
            }
        }
        if (current.Count > 0)
        {
            groups.Add(current);
        }
        return groups.Select((g, i) => new ProbeShard(slot, i, groups.Count, g)).ToList();
    }
}
