using System.Globalization;
using System.Text;
using ServerlessMonitor.Pages.Fragments;
using ServerlessMonitor.SelfCheck;
using ServerlessMonitor.Status;
using static ServerlessMonitor.Pages.SvgCharts;

namespace ServerlessMonitor.Pages;

internal sealed record ServiceListModel(DateTimeOffset Now, ServiceListPage List, MonitorStatusDto Monitor);

/// <summary>
/// The home page of a big catalog: a search form (a plain GET form: no script needed), the services of one page
/// as compact rows in groups by status, problems first, and links to the other pages. Each row links to the
/// service's own page, which has everything the full home page shows for it.
/// </summary>
internal static class ServiceListHtml
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The page; each row is the service's kept row fragment unless what the row shows changed (<see cref="ListRow"/>).</summary>
    public static string Render(ServiceListModel m, FragmentCache fragments)
    {
        var list = m.List;
        var sb = PageFrame.Open(new StringBuilder(32 * 1024), PageFrame.HomeTitle, []);
        Header(sb, m);
        sb.Append("<main>");
        Search(sb, list);
        foreach (var group in list.Rows.GroupBy(r => r.Status))
        {
            Group(sb, group.Key, list.Counts.GetValueOrDefault(group.Key), group.ToList(), fragments);
        }
        if (list.Rows.Count == 0)
        {
            sb.Append("<p>No service matches your search.</p>");
        }
        Pager(sb, list);
        return PageFrame.Close(sb.Append("</main>"), m.Now).ToString();
    }

    /// <summary>How many services are in trouble, counted over the whole catalog (or the whole search), not one page.</summary>
    private static void Header(StringBuilder sb, ServiceListModel m)
    {
        var counts = m.List.Counts;
        var worst = HealthStatusText.Worst(counts.Keys);
        sb.Append("<header><h1>Is it down?</h1>");
        if (m.Monitor.Message is { } offline)
        {
            sb.Append("<div class=\"banner unknown monitor\" role=\"alert\"><p>").Append(Html(offline)).Append("</p></div>");
        }
        var problems = ServiceList.GroupOrder.Where(s => s is not (HealthStatus.Up or HealthStatus.Unknown) && counts.GetValueOrDefault(s) > 0)
            .Select(s => $"{counts[s]} {s.ToWire()}").ToList();
        var scope = m.List.Query is null ? $"{m.List.Total} services" : $"{m.List.Matches} of {m.List.Total} services match";
        sb.Append(Inv, $"<div class=\"banner {worst.ToWire()}\" role=\"status\"><p>")
          .Append(Html(problems.Count == 0 ? $"{scope}: no problems" : $"{scope}: {string.Join(", ", problems)}"))
          .Append("</p></div></header>");
    }

    private static void Search(StringBuilder sb, ServiceListPage list)
    {
        sb.Append("<form class=\"search\" method=\"get\" action=\"/\" role=\"search\"><label for=\"q\">Find a service</label>")
          .Append(Inv, $"<input id=\"q\" name=\"q\" type=\"search\" value=\"{Html(list.Query ?? "")}\" maxlength=\"100\">")
          .Append("<button type=\"submit\">Search</button>");
        if (list.Query is not null)
        {
            sb.Append("<a href=\"/\">Show all services</a>");
        }
        sb.Append("</form>");
    }

    private static void Group(StringBuilder sb, HealthStatus status, int total, IReadOnlyList<ServiceStatusDto> rows, FragmentCache fragments)
    {
        var id = $"g-{status.ToWire()}";
        sb.Append(Inv, $"<section class=\"group\" aria-labelledby=\"{id}\"><h2 id=\"{id}\"><span class=\"pill {status.ToWire()}\">{status.ToWire()}</span> {total} service(s)</h2>")
          .Append(Inv, $"<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"{id}\"><table><thead><tr><th scope=\"col\">Service</th>")
          .Append("<th scope=\"col\">Status</th><th scope=\"col\">Since</th><th scope=\"col\">Likely cause</th><th scope=\"col\">Uptime 30 d</th></tr></thead><tbody>");
        foreach (var s in rows)
        {
            sb.Append(fragments.Get(FragmentKeys.Row(s.Id), ListRow.Of(s), Row));
        }
        sb.Append("</tbody></table></div></section>");
    }

    /// <summary>What a compact row shows, and nothing else: two equal rows render the same HTML.</summary>
    internal sealed record ListRow(string Id, string Name, HealthStatus Status, DateTimeOffset? Since, string Cause, double? Uptime30)
    {
        public static ListRow Of(ServiceStatusDto s) => new(s.Id, s.Name, s.Status, s.Since,
            s.Incident is { } i && s.Status is not (HealthStatus.Up or HealthStatus.Maintenance) ? i.LikelyCause : "", s.Figures?.Uptime.D30);
    }

    private static string Row(ListRow r)
    {
        var since = r.Since is { } t ? $"{t.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "—";
        return new StringBuilder(512)
            .Append(Inv, $"<tr data-service=\"{Html(r.Id)}\"><th scope=\"row\"><a href=\"/services/{Uri.EscapeDataString(r.Id)}\">{Html(r.Name)}</a></th>")
            .Append(Inv, $"<td><span class=\"pill {r.Status.ToWire()}\">{r.Status.ToWire()}</span></td><td>{Html(since)}</td>")
            .Append(Inv, $"<td>{Html(r.Cause)}</td><td>{Html(Pct(r.Uptime30))}</td></tr>").ToString();
    }

    /// <summary>Previous, numbered and next links; the search travels with them.</summary>
    private static void Pager(StringBuilder sb, ServiceListPage list)
    {
        if (list.Pages <= 1)
        {
            return;
        }
        sb.Append(Inv, $"<nav class=\"pager\" aria-label=\"Pages\"><p>Page {list.Page} of {list.Pages}</p><ul>");
        if (list.Page > 1)
        {
            sb.Append(Inv, $"<li><a rel=\"prev\" href=\"{Html(Href(list, list.Page - 1))}\">Previous</a></li>");
        }
        for (var p = 1; p <= list.Pages; p++)
        {
            sb.Append(p == list.Page ? $"<li><a aria-current=\"page\" href=\"{Html(Href(list, p))}\">{p}</a></li>" : $"<li><a href=\"{Html(Href(list, p))}\">{p}</a></li>");
        }
        if (list.Page < list.Pages)
        {
            sb.Append(Inv, $"<li><a rel=\"next\" href=\"{Html(Href(list, list.Page + 1))}\">Next</a></li>");
        }
        sb.Append("</ul></nav>");
    }

    private static string Href(ServiceListPage list, int page) =>
        (list.Query, page) switch
        {
            (null, 1) => "/",
            (null, _) => $"/?page={page}",
            ({ } q, 1) => $"/?q={Uri.EscapeDataString(q)}",
            ({ } q, _) => $"/?q={Uri.EscapeDataString(q)}&page={page}",
        };

    private static string Pct(double? v) => v is { } x ? (x * 100).ToString(x >= 0.9999 || x == 0 ? "0.##" : "0.00", Inv) + "%" : "—";
}
