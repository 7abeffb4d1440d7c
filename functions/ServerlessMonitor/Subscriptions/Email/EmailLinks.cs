using System.Net;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>
/// The public base of links in subscriber mail: <c>Alerts:StatusPageUrl</c>, never the request's Host header (a forged
/// Host would put an attacker's link into a genuine mail). RFC 8058 wants https; plain http is taken only for loopback (tests,
/// a local run). Null when not configured: email subscriptions are then off.
/// </summary>
public sealed class EmailLinks(IOptions<AlertsOptions> alerts)
{
    public const string ConfirmPath = "/api/subscriptions/email/confirm";

    public Uri? Base => alerts.Value.StatusPageUrl is { } page && (page.Scheme == Uri.UriSchemeHttps || (page.Scheme == Uri.UriSchemeHttp && IsLoopback(page)))
        ? new Uri(page.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/")
        : null;

    public string Confirm(Uri root, string token) => new Uri(root, ConfirmPath.TrimStart('/') + "?token=" + Uri.EscapeDataString(token)).AbsoluteUri;

    public static string Absolute(Uri root, string path) => new Uri(root, path.TrimStart('/')).AbsoluteUri;

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
