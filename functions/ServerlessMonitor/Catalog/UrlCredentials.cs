using System.Text;

namespace ServerlessMonitor.Catalog;

/// <summary>
/// Credentials written into a catalog URL (<c>https://user:pw@host/</c>) are used the way Go's HTTP client,
/// and so Gatus, uses them: as Basic authentication. The loader moves them out of the URL into an
/// Authorization header, so the URL the app keeps (and shows) no longer carries them, and headers never
/// leave the server.
/// </summary>
internal static class UrlCredentials
{
    /// <summary>The URL without user info, and the Authorization header value it implied (null when none).</summary>
    public static (Uri Url, string? Authorization) Split(Uri url)
    {
        var userInfo = url.UserInfo;
        if (userInfo.Length == 0)
        {
            return (url, null);
        }
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
        var password = colon < 0 ? "" : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        var authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        var bare = new Uri(url.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped));
        return (bare, authorization);
    }
}
