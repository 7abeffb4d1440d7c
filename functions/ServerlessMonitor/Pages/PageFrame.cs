using System.Globalization;
using System.Text;
using ServerlessMonitor.Catalog;
using static ServerlessMonitor.Pages.SvgCharts;

namespace ServerlessMonitor.Pages;

/// <summary>What every page around its content has: the head with its security policy and style, the footer with the scripts.</summary>
internal static class PageFrame
{
    public const string HomeTitle = "Is it down? — ServerlessMonitor";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static StringBuilder Open(StringBuilder sb, string title, IEnumerable<BrowserCheck> checks) =>
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
          .Append(Inv, $"<meta http-equiv=\"Content-Security-Policy\" content=\"{Html(PageSecurity.Policy(checks))}\">")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
          .Append("<title>").Append(Html(title)).Append("</title>")
          .Append("<noscript><meta http-equiv=\"refresh\" content=\"60\"></noscript>")
          .Append("<style>").Append(PageSecurity.Style).Append("</style></head><body>");

    public static StringBuilder Close(StringBuilder sb, DateTimeOffset now) =>
        sb.Append("<footer class=\"muted\"><p>Machine-readable: <a href=\"/api/status\">/api/status</a> · ")
          .Append("<a href=\"/api/openapi.json\">OpenAPI</a> · <a href=\"/api/feed.atom\">incident feed</a>. ")
          .Append(Inv, $"Generated {now:yyyy-MM-dd HH:mm} UTC; refreshes every minute.</p></footer>")
          .AppendJoin("", PageSecurity.Scripts.Select(script => $"<script>{script}</script>"))
          .Append("</body></html>");
}
