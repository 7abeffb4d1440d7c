using ServerlessMonitor.Catalog;
using ServerlessMonitor.SelfCheck;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Status;

/// <summary>Builds status answers from the catalog and the status board; never scans raw results.</summary>
public sealed class StatusReader(CatalogProvider catalog, StatusBoard board, MonitorStatusReader monitor)
{
    /// <summary>The monitor block for these statuses: the regions they come from and when they were last confirmed.</summary>
    public Task<MonitorStatusDto> MonitorAsync(IReadOnlyList<ServiceStatusDto> services, CancellationToken ct) =>
        monitor.ReadAsync(services.SelectMany(s => s.Endpoints.SelectMany(e => e.Regions)), services.Max(s => s.LastCheck), ct);

    /// <summary>
    /// Every service's status. Within a snapshot build it is worked out once and shared (<see cref="SharedReads"/>): each
    /// service's own page shows it whole, and building it per page grew with the square of the catalog (at 10,000 endpoints
    /// most of a build's allocations).
    /// </summary>
    public Task<IReadOnlyList<ServiceStatusDto>> ReadAllAsync(CancellationToken ct) =>
        SharedReads.ReadAsync<IReadOnlyList<ServiceStatusDto>>("status:all", async c =>
        {
            var rows = await board.ReadAsync(c);
            return catalog.Current.Services.Select(s => Build(s, rows)).ToList();
        }, ct);

    /// <summary>The monitor block of <see cref="ReadAllAsync"/>'s statuses, shared within a snapshot build the same way.</summary>
    public Task<MonitorStatusDto> MonitorOfAllAsync(CancellationToken ct) =>
        SharedReads.ReadAsync("status:monitor-all", async c => await MonitorAsync(await ReadAllAsync(c), c), ct);

    public async Task<ServiceStatusDto?> ReadAsync(string serviceId, CancellationToken ct)
    {
        var service = catalog.Current.FindService(serviceId);
        return service is null ? null : Build(service, await board.ReadAsync(ct));
    }

    private static ServiceStatusDto Build(ServiceDefinition service, IReadOnlyDictionary<string, StatusRow> rows)
    {
        var endpoints = service.Endpoints.Select(e =>
        {
            rows.TryGetValue(MonitorTables.EndpointPartition(service.Id, e.Id), out var row);
            return new EndpointStatusDto(e.Id, e.Kind.ToString().ToLowerInvariant(), e.Target,
                row?.Status ?? HealthStatus.Unknown, row?.Since, row?.LastCheck, row?.ResponseMs, row?.StatusCode,
                row?.LastError, row?.ErrorKind, row?.CertificateExpiry, row?.Regions ?? [], row?.DownRegions ?? [],
                row?.Incident is { } i ? new IncidentSummaryDto(i.Id, i.Kind, i.CauseLabel, i.Cause, i.Evidence) : null)
            {
                ProbeProblem = row?.ProbeProblem,
                Flapping = row?.FlappingSince is not null,
                FlappingSince = row?.FlappingSince,
            };
        }).ToList();
        var status = HealthStatusText.Worst(endpoints.Select(e => e.Status));
        // The service has been in its status since the latest endpoint moved into the worst status.
        var since = endpoints.Where(e => e.Status == status).Select(e => e.Since).Max();
        var lastCheck = endpoints.Select(e => e.LastCheck).Max();
        var downRegions = endpoints.SelectMany(e => e.DownRegions).Distinct().Order(StringComparer.Ordinal).ToList();
        var incident = endpoints.Where(e => e.Status == status).Select(e => e.Incident).FirstOrDefault(i => i is not null);
        return new ServiceStatusDto(service.Id, service.Name, service.Category, status, since, lastCheck, downRegions, incident, endpoints);
    }
}
