using ServerlessMonitor.Alerts;
using ServerlessMonitor.Incidents;

namespace ServerlessMonitor.Notifications;

/// <summary>One failing endpoint of a service incident, as its own incident's alert described it.</summary>
public sealed record IncidentMember(string Endpoint, string Incident, IncidentKind Kind, string? Cause, string? Error,
    IReadOnlyList<string> Regions, DateTimeOffset Since);

/// <summary>
/// A service's incident as notifications see it: the endpoints failing now. Opens with the first failing
/// endpoint and resolves when the last one recovers; <see cref="ClosedIncident"/> remembers how long the last
/// one lasted (a channel's minDuration asks after its down message was queued).
/// </summary>
public sealed record ServiceIncident(string? IncidentId, DateTimeOffset? Start, IReadOnlyList<IncidentMember> Members,
    string? OpeningEvent, string? ClosedIncident, TimeSpan? ClosedDuration)
{
    public static readonly ServiceIncident None = new(null, null, [], null, null, null);

    /// <summary>Reminders sent so far per remindEvery interval (in seconds) of the open incident.</summary>
    public IReadOnlyDictionary<long, int> Reminders { get; init; } = new Dictionary<long, int>();

    /// <summary>The dependsOn target that was down when the incident opened: its cause, and its messages are folded into that one's.</summary>
    public string? Dependency { get; init; }

    /// <summary>Services whose incidents were folded into this one because they depend on it ("also affected: …").</summary>
    public IReadOnlyList<string> Dependants { get; init; } = [];

    public bool IsOpen => IncidentId is not null;

    /// <summary>outage when any member is down, degraded otherwise.</summary>
    public IncidentKind Kind => Members.Any(m => m.Kind == IncidentKind.Outage) ? IncidentKind.Outage : IncidentKind.Degraded;
}

/// <summary>What one apply did: the new incident and the service-level events to write (first message, escalation, recovery).</summary>
public sealed record ServiceIncidentStep(ServiceIncident State, IReadOnlyList<string> Emit, bool MembersAdded);

/// <summary>
/// The pure rule (no I/O): endpoint Down/Degraded/Recovered alerts of one cycle in, the service incident and the
/// events to raise out. Endpoints that fail in the same cycle open one incident together, so one message.
/// </summary>
public static class ServiceIncidentRule
{
    public static ServiceIncidentStep Apply(string service, ServiceIncident state, IReadOnlyList<AlertEvent> alerts, DateTimeOffset now)
    {
        var members = state.Members.ToDictionary(m => m.Endpoint, StringComparer.Ordinal);
        var added = false;
        foreach (var a in alerts.OrderBy(a => a.Time))
        {
            if (a.Data.Endpoint is not { } endpoint)
            {
                continue;
            }
            switch (a.Type)
            {
                case AlertTypes.EndpointDown or AlertTypes.EndpointDegraded:
                    added |= !members.ContainsKey(endpoint);
                    members[endpoint] = new IncidentMember(endpoint, a.Data.IncidentId ?? a.Id, a.Type == AlertTypes.EndpointDown ? IncidentKind.Outage : IncidentKind.Degraded,
                        a.Data.LikelyCause, a.Data.LastError, a.Data.Regions ?? [], a.Data.Start ?? a.Time);
                    break;
                case AlertTypes.EndpointRecovered:
                    members.Remove(endpoint);
                    break;
            }
        }
        var list = members.Values.OrderBy(m => m.Endpoint, StringComparer.Ordinal).ToList();
        if (!state.IsOpen && list.Count == 0)
        {
            return new ServiceIncidentStep(state, [], false);
        }
        if (!state.IsOpen)
        {
            var start = list.Min(m => m.Since);
            var opened = state with { IncidentId = AlertEvents.StableId($"{service}|service-incident|{start.UtcTicks}"), Start = start, Members = list };
            return new ServiceIncidentStep(opened, [opened.Kind == IncidentKind.Outage ? AlertTypes.ServiceDown : AlertTypes.ServiceDegraded], true);
        }
        if (list.Count == 0)
        {
            var closed = ServiceIncident.None with { Reminders = new Dictionary<long, int>(), ClosedIncident = state.IncidentId, ClosedDuration = now - state.Start!.Value };
            return new ServiceIncidentStep(closed, [AlertTypes.ServiceRecovered], false);
        }
        var next = state with { Members = list };
        // A degraded service going down is news; more endpoints failing in an announced outage is not.
        var escalated = state.Kind == IncidentKind.Degraded && next.Kind == IncidentKind.Outage;
        return new ServiceIncidentStep(next, escalated ? [AlertTypes.ServiceDown] : [], added);
    }
}

/// <summary>Counted reminders: for each channel interval, one more each time the open outage has lasted another interval.</summary>
public static class ServiceReminderRule
{
    /// <summary>The intervals (seconds) owed a reminder now with its number, and the incident with them counted.</summary>
    public static (ServiceIncident State, IReadOnlyList<(long Seconds, int Number)> Due) Apply(ServiceIncident state, IEnumerable<TimeSpan> intervals,
        DateTimeOffset now)
    {
        if (!state.IsOpen || state.Kind != IncidentKind.Outage || state.Start is not { } start)
        {
            return (state, []);
        }
        var counts = new Dictionary<long, int>(state.Reminders);
        var due = new List<(long, int)>();
        foreach (var seconds in intervals.Select(i => (long)i.TotalSeconds).Where(s => s > 0).Distinct())
        {
            var owed = (int)((now - start).TotalSeconds / seconds);
            if (owed > counts.GetValueOrDefault(seconds))
            {
                counts[seconds] = owed;
                due.Add((seconds, owed));
            }
        }
        return due.Count == 0 ? (state, []) : (state with { Reminders = counts }, due);
    }
}
