using Microsoft.Net.Http.Headers;

namespace ServerlessMonitor.Reports;

/// <summary>
/// Who may post a report, and how. A browser sends text/plain, form and multipart bodies cross-site without
/// asking first, so only application/json is accepted: a cross-site JSON post needs a CORS preflight, which
/// the <see cref="CorsPolicy"/> grants only to the configured origins. A request that does carry a foreign
/// Origin is refused outright, so a page elsewhere cannot file reports in its visitors' names. Requests
/// without an Origin (curl, servers, same-origin GETs) are not browser cross-site posts and pass.
/// </summary>
internal static class ReportRequestRules
{
    public const string CorsPolicy = "reports";

    public static bool IsJson(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (type.Charset.Length == 0 || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>No Origin, the status page's own origin (same host and port), or one of <paramref name="allowed"/>.</summary>
    public static bool IsOriginAllowed(HttpRequest request, IReadOnlyCollection<string> allowed)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }
        // "null" (sandboxed frames, file: pages) and anything else that is not an http(s) origin is foreign.
        if (Normalize(origin) is not { } normalized)
        {
            return false;
        }
        return SameHost(new Uri(normalized), request.Host) || allowed.Any(a => Normalize(a) == normalized);
    }

    /// <summary>"https://Status.Example.org:443/" → "https://status.example.org"; null when it is not an http(s) origin.</summary>
    public static string? Normalize(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0
        && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0
            ? uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant()
            : null;

    // Behind a TLS-terminating front end the request is http while the page was https: host and port decide,
    // and a Host header without a port stands for the default port of the page's scheme.
    private static bool SameHost(Uri origin, HostString host) =>
        string.Equals(origin.IdnHost, host.Host, StringComparison.OrdinalIgnoreCase)
        && (host.Port ?? (origin.IsDefaultPort ? origin.Port : -1)) == origin.Port;
}
