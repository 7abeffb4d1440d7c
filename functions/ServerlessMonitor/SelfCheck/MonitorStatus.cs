using System.Globalization;
using System.Text.Json.Serialization;

namespace ServerlessMonitor.SelfCheck;

/// <summary>
/// The <c>monitor</c> block of the status API: can our probes see the services? <c>online</c>: every region
/// reaches the internet. <c>partial</c>: some regions are offline, the others keep the statuses current.
/// <c>offline</c>: no region reaches the internet; statuses are the last known ones, from <see cref="StatusesFrom"/>.
/// </summary>
public sealed record MonitorStatusDto(
    string Status,
    string? Region,
    IReadOnlyList<string> OfflineRegions,
    DateTimeOffset? Since,
    DateTimeOffset? StatusesFrom,
    string? Message)
{
    public static readonly MonitorStatusDto Online = new("online", null, [], null, null, null);

    /// <summary>No region can check anything: the statuses shown are not current.</summary>
    [JsonIgnore]
    public bool StatusesAreStale => Status == "offline";
}

/// <summary>Builds the monitor block and its sentences from the location rows (pure).</summary>
public static class MonitorStatus
{
    /// <param name="reportingRegions">Regions the statuses are built from (the regions of the endpoints' global views).</param>
    /// <param name="latestCheck">When any status was last confirmed.</param>
    public static MonitorStatusDto Describe(IEnumerable<LocationState> locations, IEnumerable<string> reportingRegions, DateTimeOffset? latestCheck,
        DateTimeOffset now)
    {
        var offline = locations.Where(l => l.Offline).OrderBy(l => l.Region, StringComparer.Ordinal).ToList();
        if (offline.Count == 0)
        {
            return MonitorStatusDto.Online;
        }
        var names = offline.Select(l => l.Region).ToList();
        var others = reportingRegions.Except(names, StringComparer.Ordinal).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var since = offline.Min(l => l.Since);
        var cannot = $"Our probes in {string.Join(", ", names)} cannot reach the internet{SinceText(since, now)}";
        if (others.Count > 0)
        {
            return new MonitorStatusDto("partial", names[0], names, since, null,
                $"{cannot}; statuses come from our other regions ({string.Join(", ", others)}).");
        }
        var from = latestCheck ?? offline.Max(l => l.LastGood);
        var statuses = from is { } t ? $"statuses are from {Time(t, now)}." : "no service could be checked yet.";
        return new MonitorStatusDto("offline", names[0], names, since, from, $"{cannot}; {statuses}");
    }

    /// <summary>"Our probes in eu cannot reach the internet since 12:03 UTC; their results are left out until they can."</summary>
    public static string OfflineSentence(LocationState s, DateTimeOffset now) =>
        $"Our probes in {s.Region} cannot reach the internet{SinceText(s.Since, now)}; their results are left out until they can.";

    /// <summary>"Our probes in eu reach the internet again since 12:15 UTC, after 12 min offline."</summary>
    public static string OnlineSentence(LocationState previous, DateTimeOffset now) =>
        $"Our probes in {previous.Region} reach the internet again{SinceText(now, now)}"
        + (previous.Since is { } s ? $", after {Duration(now - s)} offline." : ".");

    /// <summary>"12:03 UTC", with the day when it is not <paramref name="now"/>'s (the app's clock).</summary>
    public static string Time(DateTimeOffset t, DateTimeOffset now) =>
        t.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture) + " UTC"
        + (t.UtcDateTime.Date != now.UtcDateTime.Date ? " on " + t.UtcDateTime.ToString("MMM d", CultureInfo.InvariantCulture) : "");

    private static string SinceText(DateTimeOffset? since, DateTimeOffset now) => since is { } t ? $" since {Time(t, now)}" : "";

    private static string Duration(TimeSpan d) =>
        d.TotalMinutes < 1 ? $"{Math.Max(0, (int)d.TotalSeconds)} s"
        : d.TotalHours < 1 ? $"{(int)d.TotalMinutes} min"
        : d.TotalDays < 1 ? $"{(int)d.TotalHours} h {d.Minutes} min"
        : $"{(int)d.TotalDays} d {d.Hours} h";
}
