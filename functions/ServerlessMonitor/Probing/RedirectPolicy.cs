using System.Net;
using System.Net.Http;

namespace ServerlessMonitor.Probing;

/// <summary>
/// One request of a probe: the endpoint's own URL first, then one per redirect followed. Catalog headers
/// (credentials included) go only to the endpoint's own host; the body only where it was meant to go.
/// </summary>
internal sealed record HttpHop(Uri Url, HttpMethod Method, bool WithBody, bool ToOrigin);

/// <summary>What to do with a redirect: follow it as <see cref="Hop"/>, or fail the probe with <see cref="Error"/>.</summary>
internal sealed record RedirectDecision(HttpHop? Hop, string? Error);

/// <summary>
/// How probes follow redirects. The runtime's automatic redirects are off because they end a loop on the
/// last 302 (which "[STATUS] &lt; 400" then calls up), follow to any address, and re-send a 307's body to
/// any host. Here: more than <see cref="MaxRedirects"/> is a failure; 301/302/303 continue as GET without a
/// body (as Go's client, and so Gatus, does); 307/308 keep method and body, but a body is never re-sent to
/// another host; only http(s) locations are followed. Pure, so every rule has a table-driven test.
/// </summary>
internal static class RedirectPolicy
{
    public const int MaxRedirects = 10;

    public static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    /// <summary>The next hop for a redirect from <paramref name="current"/> (which is where <paramref name="location"/> is relative to).</summary>
    public static RedirectDecision Next(Uri origin, HttpHop current, int status, Uri location, bool hasBody)
    {
        var target = location.IsAbsoluteUri ? location : new Uri(current.Url, location);
        if (target.Scheme is not ("http" or "https"))
        {
            return new(null, $"{status} from {Authority(current.Url)} points to a {target.Scheme}: URL; only http(s) redirects are followed");
        }
        // User info in a Location is never used, and the fragment is never sent.
        target = new Uri(target.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped));
        var toOrigin = SameHost(origin, target);
        var keepsMethod = status is 307 or 308;
        if (keepsMethod && hasBody && !toOrigin)
        {
            return new(null, $"{status} from {Authority(current.Url)} to {Authority(target)} would re-send the request body to another host; not followed");
        }
        var method = keepsMethod || current.Method == HttpMethod.Get || current.Method == HttpMethod.Head ? current.Method : HttpMethod.Get;
        return new(new HttpHop(target, method, keepsMethod && hasBody, toOrigin), null);
    }

    /// <summary>
    /// Must the redirects of this probe stay on public addresses? Explicit per endpoint, otherwise when the
    /// target answered from a public address (unknown counts as public: the safe side).
    /// </summary>
    public static bool MustStayPublic(bool? allowPrivateRedirects, IPAddress? answeredFrom) => allowPrivateRedirects switch
    {
        true => false,
        false => true,
        null => answeredFrom is null || AddressScope.IsPublic(answeredFrom),
    };

    /// <summary>The same host, on the same port or moving between the default ports (http → https on one site).</summary>
    public static bool SameHost(Uri a, Uri b) =>
        string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && (a.Port == b.Port || (a.IsDefaultPort && b.IsDefaultPort));

    public static string Authority(Uri url) => $"{url.IdnHost}:{url.Port}";
}

/// <summary>A redirect led somewhere a probe of this endpoint may not go; the message names host and port only.</summary>
internal sealed class RedirectRefusedException(string message) : Exception(message);
