namespace ServerlessMonitor.Status;

/// <summary>The latest state of an endpoint in one probing region.</summary>
public sealed record RegionState(string Region, EndpointState State);

/// <summary>An endpoint's status across regions, and which regions see it down.</summary>
public sealed record GlobalView(HealthStatus Status, IReadOnlyList<string> DownRegions, IReadOnlyList<string> Regions)
{
    /// <summary>A region list as the state and board rows store it (comma-separated); empty for none.</summary>
    public static IReadOnlyList<string> SplitRegions(string? regions) =>
        string.IsNullOrEmpty(regions) ? [] : regions.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// Combines the regions' states (DESIGN §4): down in every region (or in at least
/// <c>quorum</c> regions) is a global outage; down in some is <see cref="HealthStatus.Partial"/>.
/// Regions that have not checked in for a while are left out, so a decommissioned or stopped region
/// does not hold an endpoint's status hostage; so are regions the monitor self-check found offline
/// (docs/SELFCHECK.md): their last states are neither votes for "up" nor "down regions".
/// </summary>
public static class GlobalStatus
{
    public static GlobalView Combine(IEnumerable<RegionState> regions, int quorum, DateTimeOffset now, TimeSpan staleAfter,
        IReadOnlySet<string>? offlineRegions = null)
    {
        var fresh = regions
            .Where(r => r.State.LastCheck is { } last && now - last <= staleAfter && r.State.Status != HealthStatus.Unknown)
            .Where(r => offlineRegions is null || !offlineRegions.Contains(r.Region))
            .OrderBy(r => r.Region, StringComparer.Ordinal)
            .ToList();
        var names = fresh.Select(r => r.Region).ToList();
        if (fresh.Count == 0)
        {
            return new GlobalView(HealthStatus.Unknown, [], names);
        }
        var down = fresh.Where(r => r.State.Status == HealthStatus.Down).Select(r => r.Region).ToList();
        var needed = quorum <= 0 ? fresh.Count : Math.Min(quorum, fresh.Count);
        var status = down.Count >= needed ? HealthStatus.Down
            : down.Count > 0 ? HealthStatus.Partial
            : HealthStatusText.Worst(fresh.Select(r => r.State.Status));
        return new GlobalView(status, down, names);
    }
}
