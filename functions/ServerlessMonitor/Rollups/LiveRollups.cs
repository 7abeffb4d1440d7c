using System.Collections.Concurrent;

namespace ServerlessMonitor.Rollups;

/// <summary>
/// What this instance's last recorded probe of each endpoint left in its rollups: the current hourly and daily row of
/// its region, totals as written (or written behind), and when that probe was checked. The recorder tells it after
/// each write; <see cref="RecentRollups"/> serves the snapshot build's "today" and "this hour" from it instead of
/// reading them back. It lives here (not in ReadModel) because the rollup readers use it and Rollups is below them.
/// Small on purpose: two totals per endpoint, nothing of the past hours or days.
/// </summary>
public sealed class LiveRollups
{
    private readonly ConcurrentDictionary<string, LiveRows> rows = new(StringComparer.Ordinal);

    /// <summary>A probe checked at <paramref name="checkedAt"/> was written with these rollup rows (closing rows of an ended period are left out).</summary>
    public void Recorded(string partition, DateTimeOffset checkedAt, IReadOnlyList<RollupRow> written)
    {
        LiveRow? hour = null, day = null;
        foreach (var row in written)
        {
            if (!row.Closing)
            {
                var live = new LiveRow(row.Row.RowKey, row.Totals);
                if (RollupKeys.PeriodOf(row.Row.RowKey) == RollupPeriod.Hourly)
                {
                    hour = live;
                }
                else
                {
                    day = live;
                }
            }
        }
        if (hour is null || day is null)
        {
            return;
        }
        Learned(partition, new LiveRows(checkedAt, hour, day));
    }

    /// <summary>Rows another instance's probe wrote, as its shard's completion summary tells (Cycle/ShardSummary.cs).</summary>
    internal void Learned(string partition, LiveRows next) =>
        rows.AddOrUpdate(partition, next, (_, kept) => kept.LastCheck > next.LastCheck ? kept : next); // an older probe never replaces a newer one

    /// <summary>The partition's state may have been changed by another writer: nothing is served from memory until its next probe here.</summary>
    public void Forget(string partition) => rows.TryRemove(partition, out _);

    /// <summary>The rows of the partition's last probe recorded here; null when none was since the start (or since <see cref="Forget"/>).</summary>
    internal LiveRows? Get(string partition) => rows.GetValueOrDefault(partition);
}

/// <summary>One rollup row as this instance last wrote it.</summary>
internal sealed record LiveRow(string RowKey, RollupTotals Totals);

/// <summary>The partition's current hourly and daily row of this region, as of its probe checked at <see cref="LastCheck"/>.</summary>
internal sealed record LiveRows(DateTimeOffset LastCheck, LiveRow Hour, LiveRow Day);
