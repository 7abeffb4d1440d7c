using ServerlessMonitor.Storage;

namespace ServerlessMonitor.SelfCheck;

/// <summary>
/// The one home of the location row layout: Endpoints table, partition <see cref="MonitorTables.MonitorPartition"/>,
/// row <c>location-{region}</c>, next to the outbox rows of the Monitor.* events.
/// </summary>
public static class LocationRows
{
    private const string KeyPrefix = "location-";

    public static RowKeyRange All => RowKeyRange.Prefix(KeyPrefix);

    public static string Key(string region) => KeyPrefix + region;

    public static TableEntity ToEntity(LocationState s) =>
        new(MonitorTables.MonitorPartition, Key(s.Region), new Dictionary<string, object?>
        {
            ["Offline"] = s.Offline,
            ["Since"] = s.Since,
            ["LastGood"] = s.LastGood,
            ["Evidence"] = s.Evidence,
        })
        { ETag = s.ETag };

    public static LocationState FromEntity(TableEntity e) =>
        new(e.RowKey[KeyPrefix.Length..], e.Get<bool>("Offline"), e.GetDate("Since"), e.GetDate("LastGood"), e.GetString("Evidence"))
        {
            ETag = e.ETag,
        };
}
