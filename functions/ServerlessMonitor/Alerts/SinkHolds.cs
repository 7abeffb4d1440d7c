namespace ServerlessMonitor.Alerts;

/// <summary>
/// The ordering rule of one outbox partition's pass (an endpoint's, a service's, the monitor's own): per incident and per
/// sink, events go out in the order they were written, so a Recovered never reaches a sink before its Down. Walking the
/// partition's pending events oldest first, every sink that has not accepted an event yet — it failed, or the event
/// waits in its backoff — is held for every later event of the same incident (events of no incident form one group).
/// Any <see cref="IAlertSink"/> (Event Grid, webhooks, and the notification channels to come) gets the same guarantee by
/// its <see cref="IAlertSink.Name"/>; nothing else is needed.
/// </summary>
internal sealed class SinkHolds(IReadOnlyList<IAlertSink> sinks)
{
    private readonly HashSet<(string Incident, string Sink)> _held = [];

    public bool IsHeld(string incident, string sink) => _held.Contains((incident, sink));

    /// <summary>These sinks still lack an earlier event of the incident.</summary>
    public void Hold(string incident, IEnumerable<string> missing) => _held.UnionWith(missing.Select(s => (incident, s)));

    /// <summary>An earlier event not due yet (in its backoff, or claimed by another dispatcher): every sink that has not accepted it waits.</summary>
    public void HoldAllBut(string incident, IReadOnlySet<string> accepted) =>
        Hold(incident, sinks.Select(s => s.Name).Where(n => !accepted.Contains(n)));
}
