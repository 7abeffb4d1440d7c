using System.Globalization;
using System.Text;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Status;
using static ServerlessMonitor.Pages.SvgCharts;

namespace ServerlessMonitor.Pages;

/// <summary>
/// "Is it just you?" from the visitor's side: the visitor's browser loads the service's browser check and the
/// page puts that next to the monitor's verdict. The server writes both possible answers into the element;
/// the script only picks one, so the wording stays here. Without JavaScript the element stays empty and
/// hidden: the page never claims to be checking something it cannot check.
/// </summary>
internal static class VisitorCheck
{
    /// <summary>How long a visitor's browser gets to load the check before it counts as not reachable.</summary>
    public const int TimeoutMs = 8000;

    public const string Checking = "Checking whether your browser can reach it…";

    /// <summary>What the page says when the visitor's browser reached the check, and when it did not.</summary>
    public static (string Reachable, string Unreachable) Verdicts(HealthStatus monitor) => monitor switch
    {
        HealthStatus.Up => ("Up for us and for you",
            "Up for us, but not reachable from your network — likely your connection, DNS or a block"),
        HealthStatus.Down => ("Down for everyone we can see", "Down for everyone we can see"),
        HealthStatus.Degraded => ("Slower than usual for us, but reachable from your network",
            "Slower than usual for us, and not reachable from your network — it may be the service or your connection"),
        HealthStatus.Partial => ("Down in some of the regions we probe from, but reachable from your network",
            "Down in some of the regions we probe from, and not reachable from your network either — your region may be affected"),
        HealthStatus.Maintenance => ("In planned maintenance, but reachable from your network",
            "In planned maintenance, and not reachable from your network either — expected until the window ends"),
        _ => ("Reachable from your network; we have no current result of our own to compare",
            "Not reachable from your network; we have no current result of our own to compare"),
    };

    /// <summary>The element the script fills in; nothing when the service has no browser check.</summary>
    public static void Append(StringBuilder sb, ServiceStatusDto status, BrowserCheck? check)
    {
        if (check is null)
        {
            return;
        }
        var (reachable, unreachable) = Verdicts(status.Status);
        sb.Append(CultureInfo.InvariantCulture,
            $"<p class=\"visitor-check\" hidden role=\"status\" aria-live=\"polite\" data-check-url=\"{Html(check.Url.AbsoluteUri)}\" ")
          .Append(CultureInfo.InvariantCulture,
            $"data-check-mode=\"{check.Mode.ToString().ToLowerInvariant()}\" data-monitor=\"{status.Status.ToWire()}\" ")
          .Append(CultureInfo.InvariantCulture, $"data-reachable=\"{Html(reachable)}\" data-unreachable=\"{Html(unreachable)}\"></p>");
    }

    /// <summary>
    /// Runs each check once per page load. A monitor verdict that does not depend on the visitor (down) is shown
    /// without loading anything. Images get a fresh query string, since one the browser cached proves nothing
    /// about the network now; fetch asks for no cache, no cookies, no referrer, and takes an opaque answer as reachable.
    /// </summary>
    public static readonly string Script = string.Create(CultureInfo.InvariantCulture, $$"""
        document.querySelectorAll('p.visitor-check[data-check-url]').forEach(el => {
          const d = el.dataset;
          const show = (result, text) => { d.result = result; el.textContent = text; el.hidden = false; };
          if (d.reachable === d.unreachable) { show('not-needed', d.reachable); return; }
          show('checking', '{{Checking}}');
          const done = ok => { clearTimeout(timer); if (d.result === 'checking') show(ok ? 'reachable' : 'unreachable', ok ? d.reachable : d.unreachable); };
          const timer = setTimeout(() => done(false), {{TimeoutMs}});
          const url = new URL(d.checkUrl);
          if (d.checkMode === 'fetch') {
            fetch(url, { mode: 'no-cors', cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' }).then(() => done(true), () => done(false));
          } else {
            url.searchParams.set('_sm', Date.now().toString(36));
            const img = new Image();
            img.referrerPolicy = 'no-referrer';
            img.onload = () => done(true);
            img.onerror = () => done(false);
            img.src = url.href;
          }
        });
        """);
}
