using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Incidents;

/// <summary>Everything the tracker needs besides the states: who, where, and the alert settings.</summary>
public sealed record TrackerContext(
    string Partition,
    ServiceDefinition Service,
    EndpointDefinition Endpoint,
    string Instance,
    TimeSpan? ReminderInterval,
    TimeSpan CertificateWarning,
    string? StatusPageUrl,
    FlapSettings Flapping);

/// <summary>What a global transition writes: the incident row (if any) and the alerts for the outbox.</summary>
public sealed record TrackerResult(GlobalState State, IReadOnlyList<TableOperation> IncidentOperations, IReadOnlyList<AlertEvent> Alerts);

/// <summary>
/// Pure: moves an endpoint's global state on after one observation, opening, updating and resolving
/// incidents and deciding which alerts that causes. Alert ids derive from the incident and type, so a
/// retried or raced computation produces the same ids. Incidents follow the status whether or not the
/// endpoint flaps; while it flaps, their alerts give way to one Flapping event (IncidentTracker.Flapping.cs).
/// </summary>
public static partial class IncidentTracker
{
    public static TrackerResult Advance(GlobalState previous, GlobalView view, Observation observation, CauseFinding cause, TrackerContext ctx)
    {
        var now = observation.CheckedAt;
        var ops = new List<TableOperation>();
        var alerts = new List<AlertEvent>();
        var incident = previous.Incident;
        OpenIncident? resolved = null;
        var wanted = IncidentKinds.For(view.Status);

        if (incident is not null && incident.Kind != wanted)
        {
            resolved = incident with { LastError = observation.Error ?? incident.LastError, Checks = incident.Checks + 1 };
            ops.Add(IncidentRows.Upsert(ctx.Partition, ctx.Service.Id, ctx.Endpoint.Id, resolved, now));
            if (resolved.Kind != IncidentKind.Maintenance)
            {
                alerts.Add(Alert(AlertTypes.EndpointRecovered, resolved, view, previous.Status, now, now, ctx));
            }
            incident = null;
        }
        if (incident is null && wanted is not null)
        {
            var regions = view.Status == HealthStatus.Degraded || wanted == IncidentKind.Maintenance ? view.Regions : view.DownRegions;
            incident = new OpenIncident(MonitorTables.IncidentKey(now), wanted.Value, now, cause, regions, 1,
                observation.Outcome == ProbeOutcome.Up ? 0 : 1, observation.Error, observation.Error, null, 0);
            ops.Add(IncidentRows.Upsert(ctx.Partition, ctx.Service.Id, ctx.Endpoint.Id, incident, null));
            if (wanted != IncidentKind.Maintenance)
            {
                alerts.Add(Alert(wanted == IncidentKind.Outage ? AlertTypes.EndpointDown : AlertTypes.EndpointDegraded, incident, view, previous.Status, now, null, ctx));
            }
        }
        else if (incident is not null)
        {
            var failed = observation.Outcome != ProbeOutcome.Up;
            incident = incident with
            {
                Checks = incident.Checks + 1,
                FailedChecks = incident.FailedChecks + (failed ? 1 : 0),
                LastError = observation.Error ?? incident.LastError,
                Regions = incident.Regions.Union(view.DownRegions).Order(StringComparer.Ordinal).ToList(),
            };
            // A reminder that flapping would hold back is not sent, so it is not counted either (the numbers never skip).
            if (incident.Kind == IncidentKind.Outage && ctx.ReminderInterval is { } every && now - (incident.LastReminderAt ?? incident.Start) >= every
                && !HoldsAlerts(previous, view, now, ctx))
            {
                incident = incident with { LastReminderAt = now, Reminders = incident.Reminders + 1 };
                alerts.Add(Alert(AlertTypes.EndpointReminder, incident, view, previous.Status, now, null, ctx, $"|{incident.Reminders}"));
            }
            ops.Add(IncidentRows.Upsert(ctx.Partition, ctx.Service.Id, ctx.Endpoint.Id, incident, null));
        }

        (alerts, var flap, incident) = GovernByFlapping(previous, view, observation, resolved, incident, alerts, ctx);

        var certWarnedFor = previous.CertWarnedFor;
        if (CertificateToWarnAbout(observation, ctx.CertificateWarning, previous.CertWarnedFor) is { } expiry)
        {
            certWarnedFor = Stamp(expiry);
            alerts.Add(AlertEvents.Create(AlertTypes.CertificateExpiring, ctx.Instance, ctx.Service.Id, ctx.Endpoint.Id, now,
                Data(ctx, view.Status, previous.Status) with { CertificateExpiry = expiry, Regions = view.Regions },
                $"{ctx.Partition}|certificate|{certWarnedFor}"));
        }

        var since = view.Status != previous.Status ? now : previous.Since;
        return new TrackerResult(new GlobalState(view.Status, since, incident, certWarnedFor) { Flap = flap }, ops, alerts);
    }

    /// <summary>The certificate expiry to warn about, once per certificate, when it enters the warning period.</summary>
    public static DateTimeOffset? CertificateToWarnAbout(Observation o, TimeSpan warning, string? alreadyWarnedFor) =>
        o.Response.CertificateExpiry is { } expiry && expiry - o.CheckedAt <= warning && Stamp(expiry) != alreadyWarnedFor ? expiry : null;

    public static string Stamp(DateTimeOffset expiry) => expiry.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private static AlertEvent Alert(string type, OpenIncident i, GlobalView view, HealthStatus previous, DateTimeOffset now, DateTimeOffset? end,
        TrackerContext ctx, string seedSuffix = "") =>
        AlertEvents.Create(type, ctx.Instance, ctx.Service.Id, ctx.Endpoint.Id, now,
            Data(ctx, view.Status, previous) with
            {
                IncidentId = IncidentRows.Id(ctx.Partition, i.Key),
                LikelyCause = i.Cause.Cause,
                Evidence = i.Cause.Evidence,
                Start = i.Start,
                End = end,
                DurationSeconds = ((end ?? now) - i.Start).TotalSeconds,
                Regions = i.Regions,
                LastError = i.LastError,
            },
            AlertEvents.IdSeed(ctx.Partition, i.Key, type) + seedSuffix);

    private static AlertData Data(TrackerContext ctx, HealthStatus status, HealthStatus previous) => new()
    {
        Service = ctx.Service.Id,
        ServiceName = ctx.Service.Name,
        Endpoint = ctx.Endpoint.Id,
        Url = ctx.Endpoint.Target,
        Status = status.ToWire(),
        PreviousStatus = previous.ToWire(),
        StatusPageUrl = ctx.StatusPageUrl,
    };
}
