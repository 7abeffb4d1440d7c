using ServerlessMonitor.Catalog;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Status;

/// <summary>Each endpoint's state per probing region (the <c>state-{region}</c> rows).</summary>
public sealed class RegionReader(ITableStore store, MonitorTables tables)
{
    public async Task<IReadOnlyList<RegionStatusDto>> ReadAsync(ServiceDefinition service, CancellationToken ct)
    {
        var list = new List<RegionStatusDto>();
        foreach (var endpoint in service.Endpoints)
        {
            await foreach (var row in store.QueryAllAsync(tables.Endpoints, MonitorTables.EndpointPartition(service.Id, endpoint.Id), RowKeyRange.Prefix("state-"), ct: ct))
            {
                if (row.RowKey == MonitorTables.GlobalStateKey)
                {
                    continue;
                }
                var state = StateRows.FromEntity(row);
                list.Add(new RegionStatusDto(endpoint.Id, row.RowKey["state-".Length..], state.Status, state.Since, state.LastCheck));
            }
        }
        return list;
    }
}
