using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Maintenance;

/// <summary>What is said about a maintenance occurrence, in order: announced ahead, started, ended.</summary>
public enum MaintenancePhase
{
    Scheduled,
    Started,
    Ended,
}

/// <summary>
/// One occurrence of a maintenance window (a one-off window has one; a recurring one, one per period), and the pure rules of
/// when it is shown and announced. Each phase has a span in which a timer step that runs late (a restart, a missed tick) still
/// announces it; outside it the moment has passed and nothing is said.
/// </summary>
public sealed record MaintenanceOccurrence(MaintenanceWindow Window, DateTimeOffset Start)
{
    /// <summary>How late an "ended" is still worth saying.</summary>
    public static readonly TimeSpan EndedLateness = TimeSpan.FromHours(1);

    public DateTimeOffset End => Start + Window.Duration;

    /// <summary>The occurrence that started last at or before <paramref name="now"/> (null: none yet) and the next one after it.</summary>
    public static (MaintenanceOccurrence? Last, MaintenanceOccurrence? Next) Around(MaintenanceWindow w, DateTimeOffset now)
    {
        if (now < w.Start)
        {
            return (null, new(w, w.Start));
        }
        if (w.Every is not { } every || every <= TimeSpan.Zero)
        {
            return (new(w, w.Start), null);
        }
        var last = w.Start + TimeSpan.FromTicks((now - w.Start).Ticks / every.Ticks * every.Ticks);
        return (new(w, last), new(w, last + every));
    }

    /// <summary>The occurrences shown on the page: from <paramref name="announceBefore"/> before they start until they end.</summary>
    public static IEnumerable<MaintenanceOccurrence> Shown(IEnumerable<MaintenanceWindow> windows, DateTimeOffset now, TimeSpan announceBefore) =>
        windows.SelectMany(w =>
        {
            var (last, next) = Around(w, now);
            return new[] { last, next }.OfType<MaintenanceOccurrence>().Where(o => o.Start - announceBefore <= now && now < o.End);
        }).Distinct().OrderBy(o => o.Start).ThenBy(o => o.Window.Service, StringComparer.Ordinal);

    /// <summary>The phases whose moment has come and not passed at <paramref name="now"/>; each is written once (by its stable id).</summary>
    public static IEnumerable<(MaintenanceOccurrence Occurrence, MaintenancePhase Phase)> Due(MaintenanceWindow w, DateTimeOffset now, TimeSpan announceBefore)
    {
        var (last, next) = Around(w, now);
        if (last is not null && now < last.End)
        {
            yield return (last, MaintenancePhase.Started);
        }
        else if (last is not null && now < last.End + EndedLateness)
        {
            yield return (last, MaintenancePhase.Ended);
        }
        if (next is not null && announceBefore > TimeSpan.Zero && next.Start - announceBefore <= now)
        {
            yield return (next, MaintenancePhase.Scheduled);
        }
    }

    /// <summary>Names the occurrence and phase for the event's stable id: the same on every instance and after a restart.</summary>
    public string Seed(MaintenancePhase phase) =>
        $"{Window.Service}|maintenance|{Window.Endpoint}|{Start.UtcTicks}|{Window.Duration.Ticks}|{phase}";
}
