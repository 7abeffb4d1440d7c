using System.Security.Cryptography;
using System.Text;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Push;

/// <summary>
/// Push tokens are secrets: created here (256 random bits), handed out once, kept only as their SHA-256. A beat
/// finds its endpoint by the hash of the token it carries — one point read whether the token is known or not, so
/// the answer's timing tells nothing — or, for endpoints whose catalog names a <c>tokenSetting</c>, by the hash of
/// that app setting's value.
/// </summary>
internal sealed class PushTokens(ITableStore store, MonitorTables tables, CatalogProvider catalog, IConfiguration configuration, TimeProvider time)
{
    public const string Prefix = "smp_";

    private (MonitorCatalog Catalog, Dictionary<string, (string, string)> ByHash)? _settings;

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A new token for the endpoint; the previous admin-created one stops working.</summary>
    public async Task<string> RotateAsync(string service, string endpoint, CancellationToken ct)
    {
        var token = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var hash = Hash(token);
        var now = time.GetUtcNow();
        var partition = MonitorTables.EndpointPartition(service, endpoint);
        var previous = await store.GetAsync(tables.Endpoints, partition, PushRows.EndpointTokenKey, ct);
        await store.SubmitBatchAsync(tables.Endpoints, [TableOperation.Insert(PushRows.Token(hash, service, endpoint, now))], ct);
        await store.SubmitBatchAsync(tables.Endpoints, [TableOperation.UpsertReplace(PushRows.EndpointToken(partition, hash, now))], ct);
        if (previous?.GetString("Hash") is { } old && old != hash)
        {
            await RetireAsync(old, ct);
        }
        return token;
    }

    /// <summary>The push endpoint the token belongs to, or null (unknown, retired, or the endpoint is no longer a push endpoint).</summary>
    public async Task<(ServiceDefinition Service, EndpointDefinition Endpoint, string Hash)?> FindAsync(string token, CancellationToken ct)
    {
        var hash = Hash(token);
        // Always read the store, also for a token found in the settings: the same work for every token.
        var row = await store.GetAsync(tables.Endpoints, PushRows.TokenPartition, PushRows.TokenKey(hash), ct);
        var current = catalog.Current;
        (string Service, string Endpoint)? owner = FromSettings(current).TryGetValue(hash, out var s) ? s
            : row is null ? null : (row.GetString("Service") ?? "", row.GetString("Endpoint") ?? "");
        if (owner is not { } o || current.FindService(o.Service) is not { } service
            || service.Endpoints.FirstOrDefault(e => e.Id == o.Endpoint && e.Kind == EndpointKind.Push) is not { } endpoint)
        {
            return null;
        }
        return (service, endpoint, hash);
    }

    private async Task RetireAsync(string hash, CancellationToken ct)
    {
        try
        {
            await store.SubmitBatchAsync(tables.Endpoints, [TableOperation.Delete(PushRows.TokenPartition, PushRows.TokenKey(hash))], ct);
        }
        catch (TableStoreException e) when (e.Kind == TableErrorKind.NotFound)
        {
            // Already gone (a rotation racing this one).
        }
    }

    /// <summary>Hashes of the tokens held in app settings, per catalog (a reloaded catalog may name other settings).</summary>
    private Dictionary<string, (string, string)> FromSettings(MonitorCatalog current)
    {
        if (_settings is { } cached && ReferenceEquals(cached.Catalog, current))
        {
            return cached.ByHash;
        }
        var byHash = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var (service, endpoint) in current.AllEndpoints())
        {
            if (endpoint.Push?.TokenSetting is { } setting && configuration[setting] is { Length: > 0 } value)
            {
                byHash[Hash(value)] = (service.Id, endpoint.Id);
            }
        }
        _settings = (current, byHash);
        return byHash;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
