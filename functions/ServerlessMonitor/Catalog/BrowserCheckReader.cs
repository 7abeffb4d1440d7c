using System.Text.Json;
using System.Text.RegularExpressions;

namespace ServerlessMonitor.Catalog;

/// <summary>Reads a service's optional <c>browserCheck</c>: <c>{ "url": "https://…/favicon.ico", "mode": "image" | "fetch" }</c>.</summary>
internal static partial class BrowserCheckReader
{
    private static readonly string[] Props = ["url", "mode"];

    public static BrowserCheck? Read(JsonReaderContext r, JsonElement service, string servicePath)
    {
        if (!service.TryGetProperty("browserCheck", out var check) || check.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        var path = $"{servicePath}.browserCheck";
        if (check.ValueKind != JsonValueKind.Object)
        {
            r.Error(path, "must be an object: { \"url\": \"https://…/favicon.ico\", \"mode\": \"image\" or \"fetch\" }");
            return null;
        }
        r.UnknownProperties(check, path, Props);
        var url = ReadUrl(r, check, path);
        var modeText = r.String(check, path, "mode") ?? "image";
        BrowserCheckMode? mode = modeText switch
        {
            "image" => BrowserCheckMode.Image,
            "fetch" => BrowserCheckMode.Fetch,
            _ => null,
        };
        if (mode is null)
        {
            r.Error($"{path}.mode", $"unknown mode '{TextRules.Quote(modeText)}' (expected image or fetch)");
        }
        return url is null || mode is null ? null : new BrowserCheck(url, mode.Value);
    }

    private static Uri? ReadUrl(JsonReaderContext r, JsonElement check, string path)
    {
        var text = r.String(check, path, "url", required: true, maxLength: CatalogLimits.Url);
        if (text is null)
        {
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
        {
            r.Error($"{path}.url", "not an absolute http(s) URL");
            return null;
        }
        // An https status page may not load http:// (mixed content): the check would fail in every browser and tell visitors
        // the problem is their connection. Loopback is a trustworthy origin for browsers (no mixed-content blocking): local runs.
        if (url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback)
        {
            r.Error($"{path}.url", "must be https: an http URL is blocked as mixed content on an https status page, and every visitor would be told the problem is their connection (http is accepted for loopback addresses only)");
            return null;
        }
        // Every visitor's browser gets this URL: unlike a probe URL, credentials in it would be published.
        if (url.UserInfo.Length > 0)
        {
            r.Error($"{path}.url", "must not contain credentials (user:password@): every visitor's browser gets this URL");
            return null;
        }
        // The page's Content-Security-Policy names the origin; its host grammar has no IPv6 literals or underscores.
        if (url.HostNameType == UriHostNameType.IPv6 || !CspHost().IsMatch(url.IdnHost))
        {
            r.Error($"{path}.url", "the host must be a DNS name or an IPv4 address (the page's Content-Security-Policy cannot name other hosts)");
            return null;
        }
        return url;
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")]
    private static partial Regex CspHost();
}
