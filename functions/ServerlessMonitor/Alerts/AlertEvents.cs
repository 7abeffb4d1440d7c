using System.Security.Cryptography;
using System.Text;

namespace ServerlessMonitor.Alerts;

/// <summary>Builds <see cref="AlertEvent"/>s with the source, subject and stable id of DESIGN §7.</summary>
public static class AlertEvents
{
    /// <summary>
    /// Creates an alert. The id is derived from <paramref name="idSeed"/> only, so recomputing the same
    /// transition (a retried batch, a second region) yields the same id and subscribers can de-duplicate.
    /// </summary>
    public static AlertEvent Create(string type, string instance, string service, string? endpoint, DateTimeOffset time,
        AlertData data, string idSeed) =>
        new(StableId(idSeed), type, Source(instance), Subject(service, endpoint), time.ToUniversalTime(), data);

    /// <summary>The conventional seed: one event per partition, incident and type.</summary>
    public static string IdSeed(string partition, string incidentId, string type) => $"{partition}|{incidentId}|{type}";

    /// <summary>First 32 hex digits (128 bits) of SHA-256: collision-free in practice and valid in a row key.</summary>
    public static string StableId(string seed) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..32];

    public static string Source(string instance) => $"/serverlessmonitor/{instance}";

    /// <summary>
    /// An event about a probing region (Monitor.Offline / .Online), subject <c>monitor/regions/{region}</c>: outside
    /// <c>services/</c>, so subscriptions filtered on a service never receive it.
    /// </summary>
    public static AlertEvent CreateForRegion(string type, string instance, string region, DateTimeOffset time, AlertData data, string idSeed) =>
        new(StableId(idSeed), type, Source(instance), RegionSubject(region), time.ToUniversalTime(), data);

    public static string RegionSubject(string region) => $"monitor/regions/{region}";

    /// <summary>Service-level events (no endpoint) use <c>services/{service}</c>, so subjectBeginsWith filters still match.</summary>
    public static string Subject(string service, string? endpoint) =>
        endpoint is null ? $"services/{service}" : $"services/{service}/endpoints/{endpoint}";
}
