using ServerlessMonitor.Catalog;
using ServerlessMonitor.SelfCheck;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Pages.Fragments;

/// <summary>
/// A service's part of the full pages: read once per snapshot build (the home page and the service's own page are
/// rendered side by side in one build and share the read) and its section HTML rendered once per change of what it shows
/// (<see cref="SectionInputs"/>), then taken as is by every page that shows the service.
/// </summary>
internal sealed class ServiceSections(ServiceViewReader reader, FragmentCache cache)
{
    /// <summary>
    /// What the service's section and comparison row show. Within a build (a <see cref="SharedReads"/> scope) the first page that
    /// asks reads it and the others wait for that read; the board and the monitor are the build's own, so the minute names the read.
    /// </summary>
    public Task<ServiceRead> ReadAsync(ServiceDefinition service, ServiceStatusDto current, MonitorStatusDto monitor, DateTimeOffset now, CancellationToken ct) =>
        SharedReads.ReadAsync($"service-read\n{service.Id}\n{PageClock.Minute(now).UtcTicks}",
            token => reader.ReadAsync(service, current, monitor, now, token), ct);

    /// <summary>The section's HTML: the kept one when its inputs are unchanged, else rendered now and kept.</summary>
    public string Html(ServiceView view, DateTimeOffset now, double minCoverage, bool emailSubscriptions)
    {
        var minute = PageClock.Minute(now);
        return cache.Get(FragmentKeys.Section(view.Status.Id), SectionInputs.Of(view, minute, minCoverage, emailSubscriptions),
            _ => StatusPageHtml.Section(view, minute, minCoverage, emailSubscriptions));
    }
}
