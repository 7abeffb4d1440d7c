using ServerlessMonitor.Api;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.ReadModel;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.SelfCheck;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Pages;

/// <summary>One service's part of a page: what its section shows and its row in the comparison.</summary>
internal sealed record ServiceRead(ServiceView View, CompareRowDto Row);

/// <summary>
/// Reads everything one service's section shows (90-day bars, 48-h chart, incidents, reports, advice,
/// comparison row). The home page and the service's own page both read through here, so they cannot drift apart. In a build
/// the recent hours come from memory where it serves (<see cref="RecentRollups"/>) and incidents and reports are read on change
/// (<see cref="RareInputs"/>).
/// </summary>
internal sealed class ServiceViewReader(ServiceFigures figures, HistoryReader history, RecentRollups rollups, RareInputs rare)
{
    public async Task<ServiceRead> ReadAsync(ServiceDefinition service, ServiceStatusDto current, MonitorStatusDto monitor, DateTimeOffset now, CancellationToken ct)
    {
        var s = current with { Figures = await figures.ComputeAsync(service, now, ct) };
        var hours = await rollups.HoursAsync(MonitorTables.EndpointPartition(service.Id, service.Primary.Id), now, StatusPage.ChartHours, ct);
        // One read of the year's incidents: the last 90 days for the history, the year for the comparison.
        var year = await rare.IncidentsAsync(service, now.AddDays(-StatusPage.CompareDays), now.AddMinutes(1), ct);
        var history90 = year.Where(i => i.Start >= now.AddDays(-StatusPage.BarDays)).ToList();
        var summary = await rare.ReportSummaryAsync(service, now, ct);
        var view = new ServiceView(s, await history.UptimeAsync(service, StatusPage.BarDays, now, ct), hours, history90, summary, Advice.For(s, monitor))
        {
            BrowserCheck = service.BrowserCheck,
        };
        var reportsInYear = await rare.ReportCountAsync(service, HistoryReader.WindowStart(StatusPage.CompareDays, now), now, ct);
        return new ServiceRead(view, await history.CompareAsync(service, StatusPage.CompareDays, now, reportsInYear, year, ct));
    }
}
