using System.Collections.Concurrent;
using Lib.Net.Http.WebPush.Authentication;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// Signed VAPID tokens by audience (RFC 8292 lets one JWT serve many requests to one push service): a fan-out to
/// thousands of subscribers of one push service signs once, not once per push. A token is handed out while more than
/// half its lifetime is left, so a push service never sees one near its <c>exp</c>.
/// </summary>
internal sealed class VapidTokenCache(TimeProvider time) : IVapidTokenCache
{
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);

    public string? Get(string audience)
    {
        if (!_tokens.TryGetValue(audience, out var entry))
        {
            return null;
        }
        if (entry.Expires - time.GetUtcNow() > VapidAudienceHandler.Lifetime / 2)
        {
            return entry.Token;
        }
        _tokens.TryRemove(KeyValuePair.Create(audience, entry));
        return null;
    }

    public void Put(string audience, DateTimeOffset expiration, string token) => _tokens[audience] = (token, expiration);
}
