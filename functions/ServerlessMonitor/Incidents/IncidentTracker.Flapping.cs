using System.Globalization;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Status;

namespace ServerlessMonitor.Incidents;

/// <summary>
/// Flapping (DESIGN §4): the change that makes one too many raises one Endpoint.Flapping event instead of
/// its own Down, Degraded or Recovered; while the endpoint flaps its incident alerts (reminders included)
/// are held back. When it has been stable for the stable period, subscribers are brought up to date with
/// the fewest events that keep Down/Recovered paired by incident id: a Recovered for the incident they
/// last heard of if it has ended, a Down or Degraded for the incident now open if they never heard of it.
/// If the status settled where they last heard it, nothing is sent.
/// </summary>
public static partial class IncidentTracker
{
    private static (List<AlertEvent> Alerts, FlapState Flap, OpenIncident? Incident) GovernByFlapping(GlobalState previous, GlobalView view,
        Observation observation, OpenIncident? resolved, OpenIncident? incident, List<AlertEvent> alerts, TrackerContext ctx)
    {
        var now = observation.CheckedAt;
        var (flap, step) = FlapDetector.Observe(previous.Flap, FlapDetector.IsChange(previous.Status, view.Status), now, ctx.Flapping);
        switch (step)
        {
            case FlapStep.Entered:
                flap = flap with { Heard = Ended(HeardBefore(previous), resolved, now) };
                return ([FlappingAlert(previous, view, observation, flap, incident, ctx)], flap, incident);
            case FlapStep.Flapping:
                return ([], flap with { Heard = Ended(previous.Flap.Heard, resolved, now) }, incident);
            case FlapStep.Left:
                var settle = Settle(previous.Flap.Heard, incident, view, now, ctx);
                // The settling Down counts as the latest word on the incident: reminders start from it, and a reminder this
                // step raised gives way to it, so it is not counted.
                return settle.Count > 0
                    ? (settle, flap, incident is null ? null : incident with { LastReminderAt = now, Reminders = RemindersSent(previous, incident) })
                    : (alerts, flap, incident);
            default:
                return (alerts, flap, incident);
        }
    }

    private static int RemindersSent(GlobalState previous, OpenIncident incident) =>
        previous.Incident?.Key == incident.Key ? previous.Incident.Reminders : 0;

    /// <summary>Whether this step's incident alerts give way to flapping (the same pure step <see cref="GovernByFlapping"/> takes).</summary>
    private static bool HoldsAlerts(GlobalState previous, GlobalView view, DateTimeOffset now, TrackerContext ctx) =>
        FlapDetector.Observe(previous.Flap, FlapDetector.IsChange(previous.Status, view.Status), now, ctx.Flapping).Step
            is FlapStep.Entered or FlapStep.Flapping;

    /// <summary>Before flapping, every Down/Degraded/Recovered went out: what they heard is the previous state.</summary>
    private static HeardState HeardBefore(GlobalState previous) => previous.Incident is { Kind: IncidentKind.Outage or IncidentKind.Degraded } i
        ? new HeardState(previous.Status, i.Key, i.Kind, i.Start, null)
        : new HeardState(previous.Status, null, null, null, null);

    /// <summary>Notes when the incident they heard of ended without a Recovered (the end it will carry later).</summary>
    private static HeardState? Ended(HeardState? heard, OpenIncident? resolved, DateTimeOffset now) =>
        heard is { IncidentKey: { } key, IncidentEnd: null } && resolved?.Key == key ? heard with { IncidentEnd = now } : heard;

    private static List<AlertEvent> Settle(HeardState? heard, OpenIncident? incident, GlobalView view, DateTimeOffset now, TrackerContext ctx)
    {
        var alerts = new List<AlertEvent>();
        var open = incident is { Kind: IncidentKind.Outage or IncidentKind.Degraded } ? incident : null;
        var heardStatus = heard?.Status ?? HealthStatus.Unknown;
        if (heard is { IncidentKey: { } key, IncidentStart: { } start } && key != open?.Key)
        {
            var end = heard.IncidentEnd ?? now;
            alerts.Add(AlertEvents.Create(AlertTypes.EndpointRecovered, ctx.Instance, ctx.Service.Id, ctx.Endpoint.Id, now,
                Data(ctx, view.Status, heardStatus) with
                {
                    IncidentId = IncidentRows.Id(ctx.Partition, key),
                    Start = start,
                    End = end,
                    DurationSeconds = (end - start).TotalSeconds,
                },
                AlertEvents.IdSeed(ctx.Partition, key, AlertTypes.EndpointRecovered)));
        }
        if (open is not null && open.Key != heard?.IncidentKey)
        {
            alerts.Add(Alert(open.Kind == IncidentKind.Outage ? AlertTypes.EndpointDown : AlertTypes.EndpointDegraded, open, view, heardStatus, now, null, ctx));
        }
        return alerts;
    }

    private static AlertEvent FlappingAlert(GlobalState previous, GlobalView view, Observation observation, FlapState flap, OpenIncident? incident,
        TrackerContext ctx)
    {
        var now = observation.CheckedAt;
        var changes = flap.Changes.Count(t => now - t < ctx.Flapping.Window);
        return AlertEvents.Create(AlertTypes.EndpointFlapping, ctx.Instance, ctx.Service.Id, ctx.Endpoint.Id, now,
            Data(ctx, view.Status, previous.Status) with
            {
                IncidentId = incident is null ? null : IncidentRows.Id(ctx.Partition, incident.Key),
                Evidence = $"{changes} status changes within {Describe(ctx.Flapping.Window)}",
                Start = flap.Since,
                Regions = view.Regions,
                LastError = observation.Error,
            },
            $"{ctx.Partition}|flapping|{flap.Since?.UtcTicks}|{AlertTypes.EndpointFlapping}");
    }

    private static string Describe(TimeSpan span) => span.TotalMinutes < 120 && span.TotalMinutes == Math.Floor(span.TotalMinutes)
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} min")
        : span.ToString("c", CultureInfo.InvariantCulture);
}
