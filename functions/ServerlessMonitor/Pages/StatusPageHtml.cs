using System.Globalization;
using System.Text;
using ServerlessMonitor.Admin;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Reports;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;
using static ServerlessMonitor.Pages.SvgCharts;

namespace ServerlessMonitor.Pages;

/// <summary>
/// Renders the status page. Every dynamic string goes through the HTML encoder. The services' sections come from
/// <paramref name="section"/> (rendered once per change and kept: <see cref="Fragments.ServiceSections"/>); the page
/// around them — banner, incident history, comparison, the time it was generated — is put together here each time.
/// </summary>
internal static class StatusPageHtml
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(PageModel m, Func<ServiceView, string> section)
    {
        var sb = new StringBuilder(64 * 1024);
        PageFrame.Open(sb, m.ServicePage ? $"Is {m.Services.Single().Status.Name} down? — ServerlessMonitor" : PageFrame.HomeTitle,
            m.Services.Select(s => s.BrowserCheck).OfType<BrowserCheck>());
        Banner(sb, m);
        sb.Append("<main>");
        foreach (var s in m.Services)
        {
            sb.Append(section(s));
        }
        History(sb, m);
        Comparison(sb, m);
        PageFrame.Close(sb.Append("</main>"), m.Now);
        return sb.ToString();
    }

    /// <summary>"All systems operational", or one sentence per service with a problem.</summary>
    private static void Banner(StringBuilder sb, PageModel m)
    {
        var problems = m.Services.Where(s => s.Status.Status is not (HealthStatus.Up or HealthStatus.Unknown)).ToList();
        var worst = HealthStatusText.Worst(m.Services.Select(s => s.Status.Status));
        sb.Append(m.ServicePage ? $"<header><p><a href=\"/\">All services</a></p><h1>Is {Html(m.Services.Single().Status.Name)} down?</h1>" : "<header><h1>Is it down?</h1>");
        // Monitor self-check: when our probes cannot reach the internet, say so before any status.
        if (m.Monitor.Message is { } offline)
        {
            sb.Append("<div class=\"banner unknown monitor\" role=\"alert\"><p>").Append(Html(offline)).Append("</p></div>");
        }
        sb.Append(Inv, $"<div class=\"banner {worst.ToWire()}\" role=\"status\" aria-live=\"polite\">");
        if (problems.Count == 0)
        {
            sb.Append(m.Monitor.StatusesAreStale ? "<p>Last known statuses below.</p>"
                : worst == HealthStatus.Unknown ? "<p>Checking services…</p>" : "<p>All systems operational</p>");
        }
        foreach (var s in problems)
        {
            sb.Append("<p>").Append(Html(Sentence(s.Status, m.Now))).Append("</p>");
        }
        sb.Append("</div>");
        MaintenanceHtml.Append(sb, m.Maintenance, m.Now);
        sb.Append("</header>");
    }

    /// <summary>
    /// "TikTok is down in 2 of 3 regions since 14:02 UTC — likely cause: server errors (5xx)"; the date is added
    /// when the outage began on another day than <paramref name="now"/> (the app's clock, not the machine's).
    /// </summary>
    public static string Sentence(ServiceStatusDto s, DateTimeOffset now)
    {
        var regions = s.Endpoints.SelectMany(e => e.Regions).Distinct().Count();
        var what = s.Status switch
        {
            HealthStatus.Partial => $"is down in {s.DownRegions.Count} of {Math.Max(regions, s.DownRegions.Count)} regions ({string.Join(", ", s.DownRegions)})",
            HealthStatus.Down => regions > 1 ? $"is down in all {regions} regions" : "is down",
            HealthStatus.Degraded => "is slower than usual",
            HealthStatus.Maintenance => "is in planned maintenance",
            _ => $"is {s.Status.ToWire()}",
        };
        var since = s.Since is { } t ? $" since {t.UtcDateTime:HH:mm} UTC{(t.UtcDateTime.Date != now.UtcDateTime.Date ? $" on {t.UtcDateTime:MMM d}" : "")}" : "";
        var cause = s.Incident is { } i && s.Status != HealthStatus.Maintenance ? $" — likely cause: {i.LikelyCause}" : "";
        return $"{s.Name} {what}{since}{cause}";
    }

    /// <summary>One service's section, drawn at <paramref name="now"/> (a page passes the minute: <see cref="Fragments.PageClock"/>).</summary>
    public static string Section(ServiceView v, DateTimeOffset now, double minCoverage, bool emailSubscriptions)
    {
        var sb = new StringBuilder(16 * 1024);
        var s = v.Status;
        var f = s.Figures;
        sb.Append(Inv, $"<section class=\"service\" id=\"{Html(s.Id)}\" aria-labelledby=\"h-{Html(s.Id)}\"><div class=\"head\">")
          .Append(Inv, $"<h2 id=\"h-{Html(s.Id)}\">{Html(s.Name)}</h2>")
          .Append(Inv, $"<span class=\"pill {s.Status.ToWire()}\">{Html(s.Status.ToWire())}</span></div>");
        sb.Append("<p class=\"muted\">")
          .Append(Html(s.Since is { } since ? $"{Label(s.Status)} since {since.UtcDateTime:yyyy-MM-dd HH:mm} UTC. " : ""))
          .Append(Html(Figures(f, minCoverage)))
          .Append("</p>");
        if (s.Incident is { } incident && s.Status != HealthStatus.Up)
        {
            sb.Append(Inv, $"<p><strong>Likely cause:</strong> {Html(incident.LikelyCause)} <span class=\"muted\">({Html(incident.Evidence)})</span></p>");
        }
        IncidentTimelineHtml.AppendRecent(sb, s.Id, v.Incidents, now);
        sb.Append(Inv, $"<h3>Uptime, last {StatusPage.BarDays} days: {Pct(v.Uptime.Uptime)}</h3>")
          .Append(UptimeBars(v.Uptime.Bars, $"{s.Name}: daily uptime for the last {StatusPage.BarDays} days"))
          .Append(Inv, $"<div class=\"legend\"><span>{StatusPage.BarDays} days ago</span><span>today</span></div>");
        var incidents = v.Incidents.Where(i => i.Kind != IncidentKind.Maintenance).Select(i => (i.Start, i.End ?? now)).ToList();
        sb.Append("<h3>Response time, last 48 hours (incidents shaded)</h3>")
          .Append(ResponseChart(v.Hours, incidents, now.AddHours(-StatusPage.ChartHours), now, $"{s.Name}: hourly average response time"));
        Endpoints(sb, s);
        sb.Append("<h3>Is it just you?</h3>");
        VisitorCheck.Append(sb, s, v.BrowserCheck);
        sb.Append("<ul class=\"advice\">");
        foreach (var line in v.Advice)
        {
            sb.Append("<li>").Append(Html(line)).Append("</li>");
        }
        sb.Append("</ul>");
        ReportForm(sb, s, v.Reports);
        EmailSubscribeHtml.Append(sb, s.Id, s.Name, emailSubscriptions);
        SubscribeHtml.Append(sb, s);
        return sb.Append("</section>").ToString();
    }

    private static void Endpoints(StringBuilder sb, ServiceStatusDto s)
    {
        sb.Append(Inv, $"<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{Html(s.Name)}: endpoints\"><table><caption>Endpoints</caption><thead><tr><th scope=\"col\">Endpoint</th><th scope=\"col\">Status</th>")
          .Append("<th scope=\"col\">Last check</th><th scope=\"col\">Response</th><th scope=\"col\">Last error</th></tr></thead><tbody>");
        foreach (var e in s.Endpoints)
        {
            sb.Append(Inv, $"<tr><td>{Html(e.Id)} <span class=\"muted\">{Html(e.Kind)}</span></td><td><span class=\"pill {e.Status.ToWire()}\">{e.Status.ToWire()}</span>")
              .Append(Inv, $"{(e.FlappingSince is { } f ? $" <span class=\"pill degraded unstable\" title=\"status changing often since {f.UtcDateTime:yyyy-MM-dd HH:mm} UTC\">unstable</span>" : "")}</td>")
              .Append(Inv, $"<td>{(e.LastCheck is { } t ? t.UtcDateTime.ToString("HH:mm:ss", Inv) + " UTC" : "—")}</td>")
              .Append(Inv, $"<td>{(e.ResponseTimeMs is { } ms ? ms + " ms" : "—")}</td><td>{Html(e.LastError ?? "")}</td></tr>");
        }
        sb.Append("</tbody></table></div>");
    }

    private static void ReportForm(StringBuilder sb, ServiceStatusDto s, ReportSummary r)
    {
        sb.Append("<h3>Reports from people</h3><p>")
          .Append(Html($"{r.Reports} report(s) in the last 15 minutes; usual for this time of day: {r.Usual:0.#}."));
        if (r.Surge)
        {
            sb.Append(" <span class=\"surge\">Many more reports than usual: others are having problems too.</span>");
        }
        sb.Append("</p>")
          .Append(Inv, $"<form class=\"report\" method=\"post\" action=\"/api/services/{Uri.EscapeDataString(s.Id)}/reports\" aria-label=\"Report a problem with {Html(s.Name)}\">")
          .Append("<label>What is not working?<select name=\"kind\" required>");
        foreach (var kind in ReportKinds.All)
        {
            sb.Append(Inv, $"<option value=\"{Html(kind)}\">{Html(kind)}</option>");
        }
        sb.Append("</select></label><label>Details (optional)<textarea name=\"message\" maxlength=\"500\"></textarea></label>")
          .Append(Inv, $"<button type=\"submit\">Report a problem</button><p class=\"result\" role=\"status\" aria-live=\"polite\"></p></form>");
    }

    private static void History(StringBuilder sb, PageModel m)
    {
        var rows = m.Services.SelectMany(s => s.Incidents.Select(i => (s.Status.Name, i))).OrderByDescending(x => x.i.Start).ToList();
        sb.Append("<section aria-labelledby=\"h-history\"><h2 id=\"h-history\">Incident history</h2><div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"h-history\"><table>")
          .Append(Inv, $"<caption>Last {StatusPage.BarDays} days, newest first</caption><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Service</th>")
          .Append("<th scope=\"col\">Type</th><th scope=\"col\">Likely cause</th><th scope=\"col\">Duration</th><th scope=\"col\">Impact</th><th scope=\"col\">Updates</th></tr></thead><tbody>");
        if (rows.Count == 0)
        {
            sb.Append("<tr><td colspan=\"7\">No incidents.</td></tr>");
        }
        foreach (var (name, i) in rows)
        {
            var duration = TimeSpan.FromSeconds(i.DurationSeconds(m.Now) ?? 0);
            sb.Append(Inv, $"<tr><td>{i.Start.UtcDateTime:yyyy-MM-dd HH:mm} UTC</td><td>{Html(name)} / {Html(i.Endpoint)}</td><td>{Html(i.Kind.ToWire())}</td>")
              .Append(Inv, $"<td>{Html(i.CauseLabel)}<br><span class=\"muted\">{Html(i.Evidence)}</span></td>")
              .Append(Inv, $"<td>{Html(Duration(duration))}{(i.End is null ? " (ongoing)" : "")}</td>")
              .Append(Inv, $"<td>{Html(string.Join(", ", i.Regions))}; {i.FailedShare * 100:F0}% of checks failed</td><td>");
            IncidentTimelineHtml.AppendList(sb, IncidentNotes.Parse(i.Notes));
            sb.Append("</td></tr>");
        }
        sb.Append("</tbody></table></div></section>");
    }

    private static void Comparison(StringBuilder sb, PageModel m)
    {
        sb.Append("<section aria-labelledby=\"h-compare\"><h2 id=\"h-compare\">How they compare</h2><div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"h-compare\"><table>")
          .Append(Inv, $"<caption>Last {StatusPage.CompareDays} days, measured here</caption><thead><tr><th scope=\"col\">Service</th><th scope=\"col\">Uptime</th>")
          .Append("<th scope=\"col\">Average downtime per year</th><th scope=\"col\">Response p50</th><th scope=\"col\">Response p95</th>")
          .Append("<th scope=\"col\">Outages</th><th scope=\"col\">User reports</th></tr></thead><tbody>");
        foreach (var r in m.Comparison)
        {
            sb.Append(Inv, $"<tr><th scope=\"row\">{Html(r.Name)}</th>")
              .Append(Inv, $"<td>{Html(Measured(Pct(r.Uptime), r.Uptime is null ? 0 : r.MeasuredSeconds, TimeSpan.FromDays(StatusPage.CompareDays), m.MinCoverage))}</td>")
              .Append(Inv, $"<td>{Html(YearDowntime(r))}</td>")
              .Append(Inv, $"<td>{Ms(r.P50Ms)}</td><td>{Ms(r.P95Ms)}</td><td>{r.Incidents}</td><td>{r.Reports}</td></tr>");
        }
        sb.Append("</tbody></table></div></section>");
    }

    private static string Label(HealthStatus s) => s switch
    {
        HealthStatus.Up => "Up",
        HealthStatus.Partial => "Down in some regions",
        _ => s.ToWire()[..1].ToUpperInvariant() + s.ToWire()[1..],
    };

    /// <summary>The service's headline figures, each window of young data with the span it was measured over.</summary>
    internal static string Figures(ServiceFiguresDto? f, double minCoverage)
    {
        var u = f?.Uptime;
        var r = f?.ResponseTime;
        return $"Uptime 24 h {Measured(Pct(u?.H24), u?.H24 is null ? 0 : u.H24MeasuredSeconds, TimeSpan.FromHours(24), minCoverage)}"
            + $" · 7 d {Measured(Pct(u?.D7), u?.D7 is null ? 0 : u.D7MeasuredSeconds, TimeSpan.FromDays(7), minCoverage)}"
            + $" · 30 d {Measured(Pct(u?.D30), u?.D30 is null ? 0 : u.D30MeasuredSeconds, TimeSpan.FromDays(30), minCoverage)}"
            + $" · response time {Measured($"p50 {Ms(r?.P50)}, p95 {Ms(r?.P95)}", r?.P50 is null ? 0 : r.MeasuredSeconds, TimeSpan.FromHours(24), minCoverage)}";
    }

    /// <summary>A figure as is when its window was measured enough, else with the span it rests on ("99.2% over 3 h measured").</summary>
    private static string Measured(string figure, long measuredSeconds, TimeSpan window, double minCoverage) =>
        measuredSeconds <= 0 || measuredSeconds >= window.TotalSeconds * minCoverage ? figure
            : $"{figure} over {Duration(TimeSpan.FromSeconds(measuredSeconds))} measured";

    private static string YearDowntime(CompareRowDto r) =>
        r.DowntimeHoursPerYear is { } h ? Duration(TimeSpan.FromHours(h))
        : r.Uptime is not null && r.MeasuredSeconds < MeasuredSpan.MinForYear.TotalSeconds ? "not enough data yet"
        : "—";

    private static string Pct(double? v) => v is { } x ? (x * 100).ToString(x >= 0.9999 || x == 0 ? "0.##" : "0.00", Inv) + "%" : "—";

    private static string Ms(double? v) => v is { } x ? x.ToString("0", Inv) + " ms" : "—";

    private static string Duration(TimeSpan d) => d.TotalMinutes < 1 ? $"{d.TotalSeconds:0} s"
        : d.TotalHours < 1 ? $"{d.TotalMinutes:0} min"
        : d.TotalDays < 1 ? $"{(int)d.TotalHours} h {d.Minutes} min"
        : $"{(int)d.TotalDays} d {d.Hours} h";
}
