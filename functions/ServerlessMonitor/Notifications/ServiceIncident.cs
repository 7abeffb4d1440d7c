using ServerlessMonitor.Alerts;

namespace ServerlessMonitor.Notifications;

/// <summary>One failing endpoint of a service incident, as its own incident's alert described it.</summary>
public sealed record IncidentMember(string Endpoint, string Incident, string Kind, string? Cause, string? Error,
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

    public bool IsOpen => IncidentId is not null;

    /// <summary>outage when any member is down, degraded otherwise.</summary>
    public string Kind => Members.Any(m => m.Kind == "outage") ? "outage" : "degraded";
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
                    members[endpoint] = new IncidentMember(endpoint, a.Data.IncidentId ?? a.Id, a.Type == AlertTypes.EndpointDown ? "outage" : "degraded",
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
            return new ServiceIncidentStep(opened, [opened.Kind == "outage" ? AlertTypes.ServiceDown : AlertTypes.ServiceDegraded], true);
        }
        if (list.Count == 0)
        {
            var closed = ServiceIncident.None with { ClosedIncident = state.IncidentId, ClosedDuration = now - state.Start!.Value };
            return new ServiceIncidentStep(closed, [AlertTypes.ServiceRecovered], false);
        }
        var next = state with { Members = list };
        // A degraded service going down is news; more endpoints failing in an announced outage is not.
        var escalated = state.Kind == "degraded" && next.Kind == "outage";
        return new ServiceIncidentStep(next, escalated ? [AlertTypes.ServiceDown] : [], added);
    }
}
