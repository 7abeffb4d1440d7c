using ServerlessMonitor.Storage;

namespace ServerlessMonitor.SelfCheck;

/// <summary>Every region's location row, in one range query.</summary>
public sealed class LocationReader(ITableStore store, MonitorTables tables)
{
    /// <summary>
    /// Every region's state. Inside a <see cref="SharedReads"/> scope (a snapshot build, where the overview, the page
    /// and every service document say whether this monitor is online) read once.
    /// </summary>
    public Task<IReadOnlyDictionary<string, LocationState>> ReadAllAsync(CancellationToken ct) =>
        SharedReads.ReadAsync($"locations\n{tables.Endpoints}", ReadFreshAsync, ct);

    private async Task<IReadOnlyDictionary<string, LocationState>> ReadFreshAsync(CancellationToken ct)
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
