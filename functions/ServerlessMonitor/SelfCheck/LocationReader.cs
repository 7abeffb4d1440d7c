using ServerlessMonitor.Storage;

namespace ServerlessMonitor.SelfCheck;

/// <summary>Every region's location row, in one range query.</summary>
public sealed class LocationReader(ITableStore store, MonitorTables tables)
{
    public async Task<IReadOnlyDictionary<string, LocationState>> ReadAllAsync(CancellationToken ct)
    {
        var locations = new Dictionary<string, LocationState>(StringComparer.Ordinal);
        await foreach (var row in store.QueryAllAsync(tables.Endpoints, MonitorTables.MonitorPartition, LocationRows.All, ct: ct))
        {
            var state = LocationRows.FromEntity(row);
            locations[state.Region] = state;
        }
        return locations;
    }
}
