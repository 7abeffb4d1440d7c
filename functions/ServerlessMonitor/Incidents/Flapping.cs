using ServerlessMonitor.Status;

namespace ServerlessMonitor.Incidents;

/// <summary>When an endpoint counts as flapping (see <see cref="FlappingOptions"/>); <see cref="Off"/> turns detection off.</summary>
public sealed record FlapSettings(int Changes, TimeSpan Window, TimeSpan StablePeriod)
{
    public static readonly FlapSettings Off = new(0, TimeSpan.Zero, TimeSpan.Zero);

    public bool Enabled => Changes > 0;
}

/// <summary>
/// What subscribers were last told about an endpoint when its episode of flapping began: the status, and
/// the incident a Down or Degraded announced that no Recovered has closed yet (with its end once it ended
/// unannounced). Kept only while flapping, to decide what to tell them when it settles.
/// </summary>
public sealed record HeardState(HealthStatus Status, string? IncidentKey, IncidentKind? IncidentKind, DateTimeOffset? IncidentStart, DateTimeOffset? IncidentEnd);

/// <summary>The recent status changes of an endpoint (newest last) and, while it flaps, since when and what subscribers heard.</summary>
public sealed record FlapState(IReadOnlyList<DateTimeOffset> Changes, DateTimeOffset? Since, HeardState? Heard)
{
    public static readonly FlapState None = new([], null, null);

    public bool Flapping => Since is not null;
}

public enum FlapStep
{
    /// <summary>Not flapping, before or after this probe.</summary>
    Steady,
    /// <summary>This probe's change made it one too many: the episode starts.</summary>
    Entered,
    /// <summary>Flapping before and after this probe.</summary>
    Flapping,
    /// <summary>No change for the stable period: the episode ends.</summary>
    Left,
}

/// <summary>
/// Hysteresis over an endpoint's status changes, Nagios-style but counted in time rather than checks (the
/// global state only sees changes, not every check). It enters on the change that makes more than
/// <see cref="FlapSettings.Changes"/> within <see cref="FlapSettings.Window"/>, and leaves only once no
/// change came for <see cref="FlapSettings.StablePeriod"/>; leaving clears the count, so a new episode needs
/// a new burst of changes. Pure.
/// </summary>
public static class FlapDetector
{
    /// <summary>
    /// A change as subscribers see it: between up, degraded and an outage (down or partial alike), the
    /// transitions that raise Down, Degraded and Recovered. Unknown and planned maintenance do not count.
    /// </summary>
    public static bool IsChange(HealthStatus previous, HealthStatus current) =>
        Class(previous) is { } from && Class(current) is { } to && from != to;

    public static (FlapState State, FlapStep Step) Observe(FlapState state, bool changed, DateTimeOffset now, FlapSettings settings)
    {
        if (!settings.Enabled)
        {
            return (FlapState.None, state.Flapping ? FlapStep.Left : FlapStep.Steady);
        }
        // Keep what either rule can still look at, and never more than the one change too many.
        var keep = settings.Window > settings.StablePeriod ? settings.Window : settings.StablePeriod;
        var changes = state.Changes.Where(t => now - t < keep).ToList();
        if (changed)
        {
            changes.Add(now);
        }
        changes = changes.TakeLast(settings.Changes + 1).ToList();

        if (!state.Flapping)
        {
            var inWindow = changes.Count(t => now - t < settings.Window);
            return changed && inWindow > settings.Changes
                ? (new FlapState(changes, now, null), FlapStep.Entered)
                : (state with { Changes = changes }, FlapStep.Steady);
        }
        if (!changed && (changes.Count == 0 || now - changes[^1] >= settings.StablePeriod))
        {
            return (FlapState.None, FlapStep.Left);
        }
        return (state with { Changes = changes }, FlapStep.Flapping);
    }

    private static string? Class(HealthStatus s) => s switch
    {
        HealthStatus.Up => "up",
        HealthStatus.Degraded => "degraded",
        HealthStatus.Down or HealthStatus.Partial => "outage",
        _ => null,
    };
}
