using ServerlessMonitor.Catalog;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Status;

/// <summary>
/// Each endpoint's state per probing region: from the status board, where every region writes its own columns
/// (one read of the board for a whole snapshot build); from the endpoint's <c>state-{region}</c> rows when its
/// board row predates those columns.
/// </summary>
public sealed class RegionReader(ITableStore store, MonitorTables tables, StatusBoard board)
{
    public async Task<IReadOnlyList<RegionStatusDto>> ReadAsync(ServiceDefinition service, CancellationToken ct)
    {
        var rows = await board.ReadAsync(ct);
        var list = new List<RegionStatusDto>();
        foreach (var endpoint in service.Endpoints)
        {
            var partition = MonitorTables.EndpointPartition(service.Id, endpoint.Id);
            if (rows.TryGetValue(partition, out var row) && row.RegionStates.Count > 0)
            {
                list.AddRange(row.RegionStates.Select(r => new RegionStatusDto(endpoint.Id, r.Region, r.Status, r.Since, r.LastCheck)));
                continue;
            }
            await foreach (var state in store.QueryAllAsync(tables.Endpoints, partition, RowKeyRange.Prefix("state-"), ct: ct))
            {
                if (state.RowKey == MonitorTables.GlobalStateKey)
                {
                    continue;
                }
                var s = StateRows.FromEntity(state);
                list.Add(new RegionStatusDto(endpoint.Id, state.RowKey["state-".Length..], s.Status, s.Since, s.LastCheck));
            }
        }
        return list;
    }
}
