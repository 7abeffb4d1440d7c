using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Api;

namespace ServerlessMonitor.Pages;

/// <summary>Inline SVG for the status page: no scripts, no external assets, readable without colour.</summary>
internal static class SvgCharts
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One bar per day, coloured by uptime; each bar has a tooltip with the date and figure.</summary>
    public static string UptimeBars(IReadOnlyList<UptimeDayDto> days, string label)
    {
        const int barWidth = 6, gap = 2, height = 32;
        var width = days.Count * (barWidth + gap);
        var sb = new StringBuilder();
        sb.Append(Inv, $"<svg class=\"bars\" viewBox=\"0 0 {width} {height}\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{Attr(label)}\">");
        for (var i = 0; i < days.Count; i++)
        {
            var d = days[i];
            var text = d.Uptime is { } u ? $"{d.Day:yyyy-MM-dd}: {u * 100:F2}% up ({d.Checks} checks)" : $"{d.Day:yyyy-MM-dd}: no data";
            sb.Append(Inv, $"<rect x=\"{i * (barWidth + gap)}\" y=\"0\" width=\"{barWidth}\" height=\"{height}\" rx=\"1\" class=\"{UptimeClass(d.Uptime)}\"><title>{Html(text)}</title></rect>");
        }
        return sb.Append("</svg>").ToString();
    }

    /// <summary>
    /// Hourly average response time as a line, with incident periods shaded, so the before / during /
    /// after of an outage is visible at a glance.
    /// </summary>
    public static string ResponseChart(IReadOnlyList<HourlyRollup> hours, IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> incidents,
        DateTimeOffset from, DateTimeOffset to, string label)
    {
        const int width = 600, height = 120, pad = 24;
        var points = hours.Where(h => h.Totals.AverageMs is not null).Select(h => (h.Hour.AddMinutes(30), h.Totals.AverageMs!.Value)).ToList();
        var max = Math.Max(100, points.Count == 0 ? 0 : points.Max(p => p.Value)) * 1.1;
        double X(DateTimeOffset t) => pad + (width - 2 * pad) * Math.Clamp((t - from) / (to - from), 0, 1);
        double Y(double ms) => height - pad - (height - 2 * pad) * ms / max;

        var sb = new StringBuilder();
        sb.Append(Inv, $"<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{Attr(label)}\">");
        sb.Append(Inv, $"<title>{Html(label)}</title>");
        foreach (var (start, end) in incidents)
        {
            var x1 = X(start);
            var x2 = Math.Max(X(end), x1 + 2);
            sb.Append(Inv, $"<rect class=\"incident\" x=\"{x1:F1}\" y=\"{pad / 2}\" width=\"{x2 - x1:F1}\" height=\"{height - pad - pad / 2}\"><title>incident {start:yyyy-MM-dd HH:mm}–{end:HH:mm} UTC</title></rect>");
        }
        sb.Append(Inv, $"<line class=\"axis\" x1=\"{pad}\" y1=\"{height - pad}\" x2=\"{width - pad}\" y2=\"{height - pad}\"/>");
        sb.Append(Inv, $"<text class=\"tick\" x=\"{pad}\" y=\"{height - 6}\">{from:MMM d HH:mm}</text>");
        sb.Append(Inv, $"<text class=\"tick\" x=\"{width - pad}\" y=\"{height - 6}\" text-anchor=\"end\">{to:MMM d HH:mm} UTC</text>");
        sb.Append(Inv, $"<text class=\"tick\" x=\"{pad}\" y=\"{pad / 2 + 4}\">{max:F0} ms</text>");
        if (points.Count > 0)
        {
            sb.Append("<polyline class=\"line\" points=\"");
            foreach (var (t, ms) in points)
            {
                sb.Append(Inv, $"{X(t):F1},{Y(ms):F1} ");
            }
            sb.Append("\"/>");
            // Dots too: a single hour of data is a point, not a line.
            foreach (var (t, ms) in points)
            {
                sb.Append(Inv, $"<circle class=\"dot\" cx=\"{X(t):F1}\" cy=\"{Y(ms):F1}\" r=\"2.5\"><title>{t.AddMinutes(-30):MMM d HH:mm}: {ms:F0} ms</title></circle>");
            }
        }
        else
        {
            sb.Append(Inv, $"<text class=\"tick\" x=\"{width / 2}\" y=\"{height / 2}\" text-anchor=\"middle\">no measurements yet</text>");
        }
        return sb.Append("</svg>").ToString();
    }

    public static string UptimeClass(double? uptime) => uptime switch
    {
        null => "none",
        >= 0.999 => "good",
        >= 0.99 => "fair",
        >= 0.95 => "poor",
        _ => "bad",
    };

    /// <summary>
    /// Encoded for HTML, after the characters XML forbids are replaced: the page embeds SVG and must stay
    /// well-formed whatever a probed body or a stored note contained.
    /// </summary>
    public static string Html(string s) => HtmlEncoder.Default.Encode(XmlSafeText.Clean(s));

    private static string Attr(string s) => Html(s);
}
