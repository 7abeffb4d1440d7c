using ServerlessMonitor.Catalog;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Incidents;

/// <summary>Reads incident history from the endpoints' partitions, newest first.</summary>
public sealed class IncidentReader(ITableStore store, MonitorTables tables)
{
    public async Task<IReadOnlyList<IncidentRecord>> ReadAsync(ServiceDefinition service, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        // Incident keys invert the start time, so "started in [from, to)" is one row-key range.
        var range = new RowKeyRange($"incident-{MonitorTables.InvertedTicks(to)}.", $"incident-{MonitorTables.InvertedTicks(from)}.");
        var all = new List<IncidentRecord>();
        foreach (var endpoint in service.Endpoints)
        {
            await foreach (var e in store.QueryAllAsync(tables.Endpoints, MonitorTables.EndpointPartition(service.Id, endpoint.Id), range, ct: ct))
            {
                all.Add(IncidentRows.FromEntity(e));
            }
        }
        return all.OrderByDescending(i => i.Start).ToList();
    }
}
