namespace ServerlessMonitor.Catalog;

public enum BrowserCheckMode
{
    /// <summary>Load the URL as an image: loaded = reachable. The resource must be an image (a favicon).</summary>
    Image,

    /// <summary>fetch() with mode 'no-cors': any answer (opaque) = reachable, a network error = not.</summary>
    Fetch,
}

/// <summary>
/// A small public resource of a service that the status page's visitors load from their own browser, so the
/// page can tell "down for everyone we can see" from "not reachable from your network". The monitor never
/// probes it; it is sent to every visitor, so it holds nothing secret.
/// </summary>
public sealed record BrowserCheck(Uri Url, BrowserCheckMode Mode)
{
    /// <summary>scheme://host[:port], the way a Content-Security-Policy source names it (international names in punycode).</summary>
    public string Origin => Url.IsDefaultPort ? $"{Url.Scheme}://{Url.IdnHost}" : $"{Url.Scheme}://{Url.IdnHost}:{Url.Port}";
}
