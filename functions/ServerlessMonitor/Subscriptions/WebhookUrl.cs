using System.Net;
using System.Net.Sockets;
using ServerlessMonitor.Probing;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// Which URLs a public webhook subscription may name. A stranger picks the URL and the monitor sends to it, so it must
/// not become a way into the monitor's own network: https only, no credentials, no fragment, at most
/// <see cref="MaxLength"/> characters, port 443 or an unprivileged one (≥ 1024: the ports below are the classic
/// services, SMTP and the like), and only public addresses — judged by <see cref="AddressScope"/>, the same rules as
/// probe redirects. The addresses are checked here when the subscription is made (for a clear answer) and again on every
/// connection (<see cref="WebhookHttp"/>), so a name that later resolves inside (DNS rebinding) is still refused.
/// </summary>
internal static class WebhookUrl
{
    public const int MaxLength = 2048;

    /// <summary>The URL as stored and sent to, or the problem with it (text for the <c>url</c> field).</summary>
    public static (Uri? Url, string? Problem) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "url is required: the https URL that receives the events.");
        }
        if (text.Length > MaxLength)
        {
            return (null, $"url is {text.Length} characters long; at most {MaxLength}.");
        }
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return (null, "url must be an absolute https URL.");
        }
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            return (null, "url must use https: events are signed, not secret, and travel only over TLS.");
        }
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return (null, "url must not contain a user name or password; put a token in the path or query instead.");
        }
        if (!string.IsNullOrEmpty(url.Fragment))
        {
            return (null, "url must not have a #fragment: it is never sent to the receiver.");
        }
        if (url.Port != 443 && url.Port < 1024)
        {
            return (null, $"url port {url.Port} is not allowed: use 443 or a port from 1024 up.");
        }
        return (url, null);
    }

    /// <summary>Null when the address may be sent to; otherwise what it is ("a private address").</summary>
    public static string? Refusal(IPAddress address, bool allowLoopback)
    {
        var kind = AddressScope.Classify(address);
        if (kind == AddressKind.Public || (allowLoopback && kind == AddressKind.Loopback))
        {
            return null;
        }
        return $"a {AddressScope.Describe(kind)} address";
    }

    public static bool IsAllowed(IPAddress address, bool allowLoopback) => Refusal(address, allowLoopback) is null;

    /// <summary>
    /// Resolves the host and refuses it when any of its addresses is not public: a name that mixes inside and outside
    /// addresses is refused as a whole. Null when the URL may be used.
    /// </summary>
    public static async Task<string?> CheckAddressesAsync(Uri url, bool allowLoopback, CancellationToken ct)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(url.IdnHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(url.IdnHost, ct);
            }
            catch (SocketException)
            {
                return $"url: the host name {url.IdnHost} does not resolve.";
            }
        }
        if (addresses.Length == 0)
        {
            return $"url: the host name {url.IdnHost} does not resolve.";
        }
        foreach (var address in addresses)
        {
            if (Refusal(address, allowLoopback) is { } what)
            {
                return $"url: {url.IdnHost} leads to {what}; webhooks are sent to public addresses only.";
            }
        }
        return null;
    }
}
