using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Maintenance;

/// <summary>
/// The marker that a maintenance event was written, <c>maintenance-{eventId}</c> in the service's partition of the Endpoints table,
/// inserted in one batch with the event's outbox row: a second insert (another instance, a restart) conflicts and writes nothing.
/// It outlives the outbox row (delivered rows are deleted after Alerts:KeepDelivered) until the phase's moment has passed.
/// </summary>
public static class MaintenanceEventRows
{
    public const string KeyPrefix = "maintenance-";
    public const string UntilProperty = "Until";

    /// <summary>How long a marker is kept after its phase's moment has passed.</summary>
    public static readonly TimeSpan KeepAfter = TimeSpan.FromDays(1);

    public static string Key(string eventId) => KeyPrefix + eventId;

    public static string? EventId(string rowKey) => rowKey.StartsWith(KeyPrefix, StringComparison.Ordinal) ? rowKey[KeyPrefix.Length..] : null;

    public static RowKeyRange Range => RowKeyRange.Prefix(KeyPrefix);

    public static TableEntity Create(string service, string eventId, DateTimeOffset until) =>
        new(service, Key(eventId), new Dictionary<string, object?>(StringComparer.Ordinal) { [UntilProperty] = until });
}
