namespace ServerlessMonitor.Catalog;

/// <summary>
/// What of an http target may be shown to anyone: scheme, host, port and path. User info is dropped and
/// every query value is masked (<c>https://host/path?token=***</c>); parameter names stay, so an operator
/// still recognises the URL. The fragment is never sent to the server and is dropped too. Every place that
/// shows or sends a target (status API, alerts, logs) gets it from <see cref="EndpointDefinition.Target"/>,
/// which comes through here.
/// </summary>
internal static class TargetRedaction
{
    public const string Mask = "***";

    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            // Not a target the catalog accepts; show nothing of it rather than guess where its secrets are.
            return Mask;
        }
        var visible = url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        var query = url.GetComponents(UriComponents.Query, UriFormat.UriEscaped);
        return query.Length == 0 ? visible : $"{visible}?{RedactQuery(query)}";
    }

    /// <summary>"a=1&amp;b&amp;c=" → "a=***&amp;***&amp;c=***": a bare parameter may itself be the secret.</summary>
    internal static string RedactQuery(string query) => string.Join('&', query.Split('&').Select(part =>
        part.Length == 0 ? part
        : part.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0 ? $"{part[..eq]}={Mask}"
        : Mask));
}
