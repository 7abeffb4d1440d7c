using System.Globalization;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Reports;

/// <summary>
/// Raises ServerlessMonitor.Reports.Surge once per surge. Each aligned 15-minute window seen in surge gets a
/// <c>surge-{window}</c> marker; an event is raised only when the window before had none, so an hour-long
/// surge is one alert, not four. The event id is seeded by service and window, and the outbox row is an
/// Insert: concurrent reports that both see the surge write it once (Conflict = already raised).
/// </summary>
internal sealed class SurgeAlerts(ITableStore store, MonitorTables tables, OutboxWriter outbox, OutboxDispatcher dispatcher, IOptions<MonitorOptions> monitor,
    IOptions<AlertsOptions> alerts, ILogger<SurgeAlerts> logger)
{
    public async Task RaiseIfNewAsync(ServiceDefinition service, ReportSummary summary, DateTimeOffset now, CancellationToken ct)
    {
        var window = ReportRows.Floor(now, ReportRows.Window);
        var marker = ReportRows.SurgeKey(window);
        if (await store.GetAsync(tables.Reports, service.Id, marker, ct) is not null)
        {
            return;
        }
        var ongoing = await store.GetAsync(tables.Reports, service.Id, ReportRows.SurgeKey(window - ReportRows.Window), ct) is not null;
        if (!ongoing)
        {
            var e = AlertEvents.Create(AlertTypes.ReportsSurge, monitor.Value.Instance, service.Id, null, now,
                new AlertData
                {
                    Service = service.Id,
                    ServiceName = service.Name,
                    Status = "surge",
                    Reports = summary.Reports,
                    Start = summary.WindowStart,
                    Evidence = string.Create(CultureInfo.InvariantCulture,
                        $"{summary.Reports} reports from {summary.Networks} networks in 15 minutes; usual for this time of day {summary.Usual}"),
                    StatusPageUrl = alerts.Value.StatusLink(service.Id),
                },
                $"{service.Id}|surge|{window.UtcTicks}");
            try
            {
                await outbox.SubmitAsync([TableOperation.Insert(OutboxRows.Create(service.Id, e, now))], ct);
                Telemetry.PipelineMetrics.SurgeRaised(service.Id);
                logger.LogWarning("Report surge on {Service}: {Reports} reports in 15 minutes (usual {Usual})", service.Id, summary.Reports, summary.Usual);
            }
            catch (TableStoreException x) when (x.Kind == TableErrorKind.Conflict)
            {
                // A concurrent report raised it first; it is in the outbox once.
            }
        }
        // The marker goes last: if we crash before it, the next report in surge retries the (idempotent) outbox insert.
        await store.ExecuteAsync(tables.Reports, TableOperation.UpsertReplace(new TableEntity(service.Id, marker,
            new Dictionary<string, object?> { ["At"] = now, ["Reports"] = summary.Reports, ["Raised"] = !ongoing })), ct);
        if (!ongoing)
        {
            await dispatcher.DispatchAsync([service.Id], ct);
        }
    }
}
