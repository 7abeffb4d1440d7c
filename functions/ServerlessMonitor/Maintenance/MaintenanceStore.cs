using System.Globalization;
using System.Text.RegularExpressions;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Maintenance;

/// <summary>A maintenance window added through the admin API.</summary>
public sealed record StoredMaintenanceWindow(string Id, MaintenanceWindow Window, DateTimeOffset CreatedAt);

/// <summary>
/// Windows added through the admin API, in the Status table's <c>maintenance</c> partition: they
/// survive restarts and every region's deployment sees the same windows.
/// </summary>
public sealed partial class MaintenanceStore(ITableStore store, MonitorTables tables)
{
    public const string Partition = "maintenance";

    public async Task<IReadOnlyList<StoredMaintenanceWindow>> ReadAllAsync(CancellationToken ct)
    {
        var windows = new List<StoredMaintenanceWindow>();
        await foreach (var e in store.QueryAllAsync(tables.Status, Partition, RowKeyRange.All, ct: ct))
        {
            if (FromEntity(e) is { } w)
            {
                windows.Add(w);
            }
        }
        return windows;
    }

    public async Task<StoredMaintenanceWindow> AddAsync(MaintenanceWindow window, DateTimeOffset now, CancellationToken ct)
    {
        var stored = new StoredMaintenanceWindow(Guid.NewGuid().ToString("N"), window, now);
        await store.ExecuteAsync(tables.Status, TableOperation.Insert(new TableEntity(Partition, stored.Id, new Dictionary<string, object?>
        {
            ["Service"] = window.Service,
            ["Endpoint"] = window.Endpoint,
            ["Start"] = window.Start,
            ["Duration"] = window.Duration.ToString("c", CultureInfo.InvariantCulture),
            ["Every"] = window.Every?.ToString("c", CultureInfo.InvariantCulture),
            ["CreatedAt"] = now,
        })), ct);
        return stored;
    }

    /// <summary>False when no window has that id.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken ct)
    {
        if (!IdPattern().IsMatch(id))
        {
            return false;
        }
        try
        {
            await store.ExecuteAsync(tables.Status, TableOperation.Delete(Partition, id), ct);
            return true;
        }
        catch (TableStoreException e) when (e.Kind == TableErrorKind.NotFound)
        {
            return false;
        }
    }

    private static StoredMaintenanceWindow? FromEntity(TableEntity e)
    {
        // Rows are only written by AddAsync; one that cannot be read back is skipped rather than failing every probe.
        if (e.GetString("Service") is not { } service || e.GetDate("Start") is not { } start
            || !TimeSpan.TryParse(e.GetString("Duration"), CultureInfo.InvariantCulture, out var duration))
        {
            return null;
        }
        TimeSpan? every = TimeSpan.TryParse(e.GetString("Every"), CultureInfo.InvariantCulture, out var ev) ? ev : null;
        var endpoint = string.IsNullOrEmpty(e.GetString("Endpoint")) ? null : e.GetString("Endpoint");
        return new StoredMaintenanceWindow(e.RowKey, new MaintenanceWindow(service, endpoint, start, duration, every), e.GetDate("CreatedAt") ?? start);
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex IdPattern();
}
