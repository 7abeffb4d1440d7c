using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Incidents;

/// <summary>An incident while it is open, kept inside the endpoint's global state row.</summary>
public sealed record OpenIncident(
    string Key,
    IncidentKind Kind,
    DateTimeOffset Start,
    CauseFinding Cause,
    IReadOnlyList<string> Regions,
    int Checks,
    int FailedChecks,
    string? FirstError,
    string? LastError,
    DateTimeOffset? LastReminderAt,
    int Reminders);

/// <summary>
/// The endpoint across all regions (row <c>state-global</c>). Every region's writer updates it under
/// its ETag, which is what makes two regions produce one incident rather than two.
/// </summary>
public sealed record GlobalState(HealthStatus Status, DateTimeOffset? Since, OpenIncident? Incident, string? CertWarnedFor)
{
    public static readonly GlobalState Initial = new(HealthStatus.Unknown, null, null, null);

    /// <summary>Recent status changes and, while the endpoint flaps, since when (see <see cref="FlapDetector"/>).</summary>
    public FlapState Flap { get; init; } = FlapState.None;

    /// <summary>
    /// Counts the row's writes (each ETag-guarded, so two writers never get the same number): the status board keeps the
    /// revision it shows and never lets an older one overwrite a newer one, whichever instance's board write lands last.
    /// </summary>
    public long Revision { get; init; }

    public TableEntity ToEntity(string partition, string? etag)
    {
        var p = new Dictionary<string, object?>
        {
            ["Status"] = Status.ToWire(),
            ["Since"] = Since,
            ["CertWarnedFor"] = CertWarnedFor,
            ["Revision"] = Revision,
        };
        if (Incident is { } i)
        {
            p["IncidentKey"] = i.Key;
            p["IncidentKind"] = i.Kind.ToWire();
            p["IncidentStart"] = i.Start;
            p["Cause"] = i.Cause.Cause;
            p["CauseLabel"] = i.Cause.Label;
            p["Evidence"] = i.Cause.Evidence;
            p["Regions"] = string.Join(',', i.Regions);
            p["Checks"] = i.Checks;
            p["FailedChecks"] = i.FailedChecks;
            p["FirstError"] = i.FirstError;
            p["LastError"] = i.LastError;
            p["LastReminderAt"] = i.LastReminderAt;
            p["Reminders"] = i.Reminders;
        }
        FlapRows.Write(Flap, p);
        return new TableEntity(partition, MonitorTables.GlobalStateKey, p) { ETag = etag };
    }

    public static GlobalState FromEntity(TableEntity e)
    {
        OpenIncident? incident = null;
        if (e.GetString("IncidentKey") is { } key)
        {
            incident = new OpenIncident(key, IncidentKinds.ParseWire(e.GetString("IncidentKind")), e.GetDate("IncidentStart") ?? DateTimeOffset.MinValue,
                new CauseFinding(e.GetString("Cause") ?? "", e.GetString("CauseLabel") ?? "", e.GetString("Evidence") ?? ""),
                GlobalView.SplitRegions(e.GetString("Regions")), (int)e.GetInt64("Checks"), (int)e.GetInt64("FailedChecks"),
                e.GetString("FirstError"), e.GetString("LastError"), e.GetDate("LastReminderAt"), (int)e.GetInt64("Reminders"));
        }
        return new GlobalState(HealthStatusText.ParseWire(e.GetString("Status")), e.GetDate("Since"), incident, e.GetString("CertWarnedFor"))
        {
            Flap = FlapRows.Read(e),
            Revision = e.GetInt64("Revision"),
        };
    }
}
