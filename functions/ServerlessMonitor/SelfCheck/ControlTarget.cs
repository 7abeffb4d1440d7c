using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.SelfCheck;

/// <summary>A control target as configured (<see cref="Text"/>) and the endpoint that probes it.</summary>
public sealed record ControlTarget(string Text, EndpointDefinition Endpoint)
{
    private const string DnsPrefix = "dns:";

    /// <summary>
    /// <c>http(s)://…</c>: a HEAD request without redirects, where any HTTP answer — even 404 or 503 — proves
    /// the internet is reachable. <c>dns:host</c>: the name resolves through the system resolver. Null when
    /// <paramref name="text"/> is neither.
    /// </summary>
    public static ControlTarget? Parse(string text, int index, TimeSpan timeout)
    {
        var trimmed = text.Trim();
        var id = $"control-{index}";
        if (trimmed.StartsWith(DnsPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var host = trimmed[DnsPrefix.Length..];
            return host.Length is > 0 and <= 253 && Uri.CheckHostName(host) is UriHostNameType.Dns
                ? new ControlTarget(trimmed, new EndpointDefinition { Id = id, Kind = EndpointKind.Dns, Host = host, Timeout = timeout })
                : null;
        }
        return Uri.TryCreate(trimmed, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? new ControlTarget(trimmed, new EndpointDefinition
            {
                Id = id, Kind = EndpointKind.Http, Url = url, Method = "HEAD", FollowRedirects = false, Timeout = timeout,
            })
            : null;
    }
}
