namespace ServerlessMonitor.SelfCheck;

/// <summary>
/// Whether a probing location (a region) can reach the internet. <see cref="Since"/>: when it went offline (or
/// came back). <see cref="LastGood"/>: the last cycle it judged online — what its statuses date from while offline.
/// A region without a row has never been offline.
/// </summary>
public sealed record LocationState(string Region, bool Offline, DateTimeOffset? Since, DateTimeOffset? LastGood, string? Evidence)
{
    public string? ETag { get; init; }

    public static LocationState Online(string region) => new(region, false, null, null, null);
}

/// <summary>What a location's verdict change asks the world to do: the event to raise.</summary>
public sealed record LocationChange(LocationState Previous, LocationState Next, string EventType);

/// <summary>
/// The pure transition of a location: a verdict that differs from the stored state moves it and raises
/// exactly one event (Monitor.Offline entering, Monitor.Online leaving); the same verdict changes nothing.
/// </summary>
public static class LocationStateMachine
{
    /// <param name="lastGood">The last cycle this process judged online, when it knows one.</param>
    public static LocationChange? Transition(LocationState state, bool offline, DateTimeOffset now, DateTimeOffset? lastGood, string evidence)
    {
        if (offline == state.Offline)
        {
            return null;
        }
        return offline
            ? new LocationChange(state, state with { Offline = true, Since = now, LastGood = lastGood ?? state.LastGood, Evidence = evidence },
                Alerts.AlertTypes.MonitorOffline)
            : new LocationChange(state, state with { Offline = false, Since = now, LastGood = now, Evidence = evidence },
                Alerts.AlertTypes.MonitorOnline);
    }
}
