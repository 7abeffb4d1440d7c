using System.Globalization;
using System.Text;
using ServerlessMonitor.Incidents;
using static ServerlessMonitor.Pages.SvgCharts;

namespace ServerlessMonitor.Pages;

/// <summary>
/// Operators' updates as a timeline ("investigating → identified → monitoring → resolved"), oldest first: in a
/// service's section for its recent incidents, and in the incident history. Every text goes through the encoder.
/// </summary>
internal static class IncidentTimelineHtml
{
    /// <summary>An incident's updates stay in its service's section this long after it ended.</summary>
    public static readonly TimeSpan RecentFor = TimeSpan.FromDays(3);

    private const int MaxIncidents = 3;

    /// <summary>The service section's "Updates" block: ongoing and recently ended incidents with updates, newest incident first.</summary>
    public static void AppendRecent(StringBuilder sb, string serviceId, IEnumerable<IncidentRecord> incidents, DateTimeOffset now)
    {
        var recent = incidents.Where(i => (i.End is null || now - i.End < RecentFor) && IncidentNotes.Parse(i.Notes).Count > 0)
            .OrderByDescending(i => i.Start).Take(MaxIncidents).ToList();
        if (recent.Count == 0)
        {
            return;
        }
        sb.Append(CultureInfo.InvariantCulture, $"<h3 id=\"updates-{Html(serviceId)}\">Updates</h3>");
        foreach (var i in recent)
        {
            var state = i.End is null ? "ongoing" : $"ended {i.End.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC";
            sb.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{Html(i.Endpoint)} {i.Kind.ToWire()} since {i.Start.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({Html(state)})</p>");
            AppendList(sb, IncidentNotes.Parse(i.Notes));
        }
    }

    /// <summary>One incident's updates as an ordered list, oldest first (the order they were posted in).</summary>
    public static void AppendList(StringBuilder sb, IReadOnlyList<IncidentNote> updates)
    {
        if (updates.Count == 0)
        {
            return;
        }
        sb.Append("<ol class=\"timeline\">");
        foreach (var u in updates)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<li><time datetime=\"{u.Time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\">{u.Time.UtcDateTime:yyyy-MM-dd HH:mm} UTC</time> ")
              .Append(CultureInfo.InvariantCulture, $"<strong class=\"state\">{Html(Label(u.Status))}</strong> {Html(u.Message)}</li>");
        }
        sb.Append("</ol>");
    }

    private static string Label(string state) => state.Length == 0 ? state : char.ToUpperInvariant(state[0]) + state[1..];
}
