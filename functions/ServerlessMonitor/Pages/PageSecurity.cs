using System.Security.Cryptography;
using System.Text;
using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Pages;

/// <summary>
/// The status page's Content-Security-Policy and the inline code it allows. The policy is a meta element in
/// the page itself, so it travels with the page's bytes: the snapshot keeps bytes and a content type, not
/// headers, and both hosts serve them alike. The page may run only its own inline style and scripts (by
/// hash: an injected script or style has another one), post only to itself, and reach out only to the
/// origins of the catalog's browser checks — images for <c>image</c> checks, fetch for <c>fetch</c> checks.
/// </summary>
internal static class PageSecurity
{
    /// <summary>The page's inline stylesheet, as emitted and hashed (HTML parsers turn CRLF into LF before hashing).</summary>
    public static readonly string Style = StatusPageStyle.Css.ReplaceLineEndings("\n");

    /// <summary>Every inline script of the page, as emitted and hashed; a script not in this list is blocked.</summary>
    public static readonly IReadOnlyList<string> Scripts = [StatusPageStyle.Script.ReplaceLineEndings("\n"), VisitorCheck.Script.ReplaceLineEndings("\n"),
        Subscriptions.WebPushScripts.Page.ReplaceLineEndings("\n")];

    private static readonly string ScriptSources = string.Join(' ', Scripts.Select(Hash));
    private static readonly string StyleSource = Hash(Style);

    public static string Policy(IEnumerable<BrowserCheck> checks)
    {
        var list = checks.ToList();
        var images = Origins(list, BrowserCheckMode.Image);
        var fetches = Origins(list, BrowserCheckMode.Fetch);
        return $"default-src 'none'; script-src {ScriptSources}; style-src {StyleSource}; "
            + $"img-src {(images.Length == 0 ? "'none'" : images)}; connect-src 'self'{(fetches.Length == 0 ? "" : " " + fetches)}; "
            + "worker-src 'self'; form-action 'self'; base-uri 'none'";
    }

    /// <summary>
    /// Framing can only be forbidden by response headers (a meta CSP ignores frame-ancestors): every HTML answer gets both
    /// the CSP directive and X-Frame-Options for older browsers, so no other site can overlay the page (clickjacking the
    /// report button). Set where answers are sent, whichever path (snapshot, cache, cold) sends them.
    /// </summary>
    public static void DenyFraming(HttpResponse response)
    {
        if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
        {
            response.Headers.XFrameOptions = "DENY";
            response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
        }
    }

    private static string Origins(IEnumerable<BrowserCheck> checks, BrowserCheckMode mode) =>
        string.Join(' ', checks.Where(c => c.Mode == mode).Select(c => c.Origin).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    private static string Hash(string inline) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline)))}'";
}
