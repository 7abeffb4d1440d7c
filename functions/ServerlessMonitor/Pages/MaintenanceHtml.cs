using System.Text;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Maintenance;
using static ServerlessMonitor.Pages.SvgCharts;

namespace ServerlessMonitor.Pages;

/// <summary>A service's planned maintenance on the page, from Maintenance:AnnounceBefore before it starts until it ends.</summary>
internal sealed record PlannedMaintenance(string ServiceId, string ServiceName, MaintenanceOccurrence Occurrence);

/// <summary>The page's maintenance banner: "TikTok: Planned maintenance Tue 02:00–03:00 UTC", or "… in progress until 03:00 UTC".</summary>
internal static class MaintenanceHtml
{
    /// <summary>The occurrences to show at <paramref name="now"/>, for the services of the page.</summary>
    public static IReadOnlyList<PlannedMaintenance> Shown(IEnumerable<MaintenanceWindow> windows, IReadOnlyDictionary<string, string> services,
        DateTimeOffset now, TimeSpan announceBefore) =>
        MaintenanceOccurrence.Shown(windows.Where(w => services.ContainsKey(w.Service)), now, announceBefore)
            .Select(o => new PlannedMaintenance(o.Window.Service, services[o.Window.Service], o)).ToList();

    public static void Append(StringBuilder sb, IReadOnlyList<PlannedMaintenance> planned, DateTimeOffset now)
    {
        if (planned.Count == 0)
        {
            return;
        }
        sb.Append("<div class=\"banner maintenance planned\" role=\"note\" aria-label=\"Planned maintenance\">");
        foreach (var p in planned)
        {
            var o = p.Occurrence;
            var text = o.Start <= now ? MaintenanceText.Running(o, now) : MaintenanceText.Planned(o, now);
            sb.Append("<p><a href=\"#").Append(Html(p.ServiceId)).Append("\">").Append(Html(p.ServiceName)).Append("</a>: ")
              .Append(Html(text)).Append("</p>");
        }
        sb.Append("</div>");
    }
}
