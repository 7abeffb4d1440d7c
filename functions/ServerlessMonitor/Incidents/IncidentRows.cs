using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Incidents;

/// <summary>An incident as the history shows it (row <c>incident-{invertedStartTicks}</c>).</summary>
public sealed record IncidentRecord(
    string Id,
    string Service,
    string Endpoint,
    IncidentKind Kind,
    string Cause,
    string CauseLabel,
    string Evidence,
    DateTimeOffset Start,
    DateTimeOffset? End,
    IReadOnlyList<string> Regions,
    int Checks,
    int FailedChecks,
    string? FirstError,
    string? LastError,
    string? Notes)
{
    public double? DurationSeconds(DateTimeOffset now) => ((End ?? now) - Start).TotalSeconds;

    public double FailedShare => Checks == 0 ? 0 : (double)FailedChecks / Checks;
}

public static class IncidentRows
{
    /// <summary>Incident ids are "{service}.{endpoint}.{invertedStartTicks}": the partition plus the row key's tail.</summary>
    public static string Id(string partition, string incidentKey) => $"{partition}.{incidentKey["incident-".Length..]}";

    public static bool TryParseId(string id, out string partition, out string rowKey)
    {
        var dot = id.LastIndexOf('.');
        partition = dot > 0 ? id[..dot] : "";
        rowKey = dot > 0 ? "incident-" + id[(dot + 1)..] : "";
        return dot > 0 && partition.Contains('.') && id[(dot + 1)..].All(char.IsAsciiDigit);
    }

    /// <summary>
    /// The incident row, merged (not replaced) so notes added by operators survive every update the
    /// probes make.
    /// </summary>
    public static TableOperation Upsert(string partition, string service, string endpoint, OpenIncident i, DateTimeOffset? end) =>
        TableOperation.UpsertMerge(new TableEntity(partition, i.Key, new Dictionary<string, object?>
        {
            ["Id"] = Id(partition, i.Key),
            ["Service"] = service,
            ["Endpoint"] = endpoint,
            ["Kind"] = i.Kind.ToWire(),
            ["Cause"] = i.Cause.Cause,
            ["CauseLabel"] = i.Cause.Label,
            ["Evidence"] = i.Cause.Evidence,
            ["Start"] = i.Start,
            ["End"] = end,
            ["DurationSeconds"] = end is { } e ? (e - i.Start).TotalSeconds : null,
            ["Regions"] = string.Join(',', i.Regions),
            ["Checks"] = i.Checks,
            ["FailedChecks"] = i.FailedChecks,
            ["FirstError"] = i.FirstError,
            ["LastError"] = i.LastError,
        }));

    public static IncidentRecord FromEntity(TableEntity e) => new(
        e.GetString("Id") ?? Id(e.PartitionKey, e.RowKey),
        e.GetString("Service") ?? "",
        e.GetString("Endpoint") ?? "",
        IncidentKinds.ParseWire(e.GetString("Kind")),
        e.GetString("Cause") ?? "",
        e.GetString("CauseLabel") ?? "",
        e.GetString("Evidence") ?? "",
        e.GetDate("Start") ?? MonitorTables.FromInvertedTicks(e.RowKey["incident-".Length..]),
        e.GetDate("End"),
        GlobalView.SplitRegions(e.GetString("Regions")),
        (int)e.GetInt64("Checks"),
        (int)e.GetInt64("FailedChecks"),
        e.GetString("FirstError"),
        e.GetString("LastError"),
        e.GetString("Notes"));
}
