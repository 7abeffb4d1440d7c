using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Status;

/// <summary>
/// The denormalised Status table the status API reads: one row per endpoint, merged in batches of
/// 100 after each cycle. Its status is the endpoint's global status; a region whose probe did not
/// move the global state only refreshes the measurements, so it never overwrites what another region
/// decided. The table can always be rebuilt from the endpoints' state rows.
/// </summary>
public sealed class StatusBoard(ITableStore store, MonitorTables tables, IOptions<MonitorOptions> options)
{
    // Chunks written side by side: SQLite commits them as one group, Table Storage gets them in parallel.
    private const int ParallelBatches = 8;
    private const string ProbeProblemProperty = "ProbeProblem";

    public Task PublishAsync(IReadOnlyList<RecordedProbe> recorded, CancellationToken ct)
    {
        var region = RegionColumns.For(options.Value.Region);
        return MergeAsync(recorded.Select(r => ToRow(r, region)), ct);
    }

    /// <summary>
    /// Marks endpoints whose scheduled check did not happen (their probe shard failed every attempt). The mark stays
    /// until the endpoint's next recorded probe clears it; status and measurements stay as last known.
    /// </summary>
    public Task MarkNotProbedAsync(IEnumerable<(string Service, string Endpoint)> endpoints, string problem, CancellationToken ct) =>
        MergeAsync(endpoints.Select(e => new TableEntity(MonitorTables.StatusPartition, MonitorTables.EndpointPartition(e.Service, e.Endpoint),
            new Dictionary<string, object?> { [ProbeProblemProperty] = problem })), ct);

    /// <summary>Names another cause for endpoints' open incidents (a dependency that is down, Notifications/ServiceIncidentAlerts).</summary>
    public Task MarkCauseAsync(IEnumerable<(string Service, string Endpoint)> endpoints, CauseFinding cause, CancellationToken ct) =>
        MergeAsync(endpoints.Select(e => new TableEntity(MonitorTables.StatusPartition, MonitorTables.EndpointPartition(e.Service, e.Endpoint),
            new Dictionary<string, object?> { ["Cause"] = cause.Cause, ["CauseLabel"] = cause.Label, ["Evidence"] = cause.Evidence })), ct);

    private Task MergeAsync(IEnumerable<TableEntity> rows, CancellationToken ct) =>
        Parallel.ForEachAsync(rows.Chunk(TableStoreExtensions.MaxBatchOperations),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelBatches, CancellationToken = ct },
            async (chunk, token) => await store.SubmitBatchAsync(tables.Status, chunk.Select(TableOperation.UpsertMerge).ToList(), token));

    /// <summary>Every endpoint's row; inside a <see cref="SharedReads"/> scope (a snapshot build) read and decoded once.</summary>
    public Task<IReadOnlyDictionary<string, StatusRow>> ReadAsync(CancellationToken ct) =>
        SharedReads.ReadAsync($"board\n{tables.Status}", () => ReadFreshAsync(ct));

    private async Task<IReadOnlyDictionary<string, StatusRow>> ReadFreshAsync(CancellationToken ct)
    {
        var rows = new Dictionary<string, StatusRow>(StringComparer.Ordinal);
        await foreach (var e in store.QueryAllAsync(tables.Status, MonitorTables.StatusPartition, RowKeyRange.All, ct: ct))
        {
            rows[e.RowKey] = FromEntity(e);
        }
        return rows;
    }

    private static TableEntity ToRow(RecordedProbe r, RegionColumns region)
    {
        var o = r.Observation;
        var p = new Dictionary<string, object?>
        {
            // This region's own state, beside the other regions' (each merges only its own columns).
            [region.Status] = r.Current.Status.ToWire(),
            [region.Since] = r.Current.Since,
            [region.LastCheck] = r.Current.LastCheck,
            ["LastCheck"] = o.CheckedAt,
            ["ResponseMs"] = o.ResponseTimeMs,
            ["StatusCode"] = o.Response.StatusCode ?? 0,
            ["LastError"] = o.Error ?? "",
            ["ErrorKind"] = o.ErrorKind?.ToWire() ?? "",
            ["CertificateExpiry"] = o.Response.CertificateExpiry,
            [ProbeProblemProperty] = "",
        };
        if (r.Global is { } g)
        {
            var incident = g.State.Incident;
            p["Status"] = g.State.Status.ToWire();
            p["Since"] = g.State.Since;
            p["DownRegions"] = string.Join(',', g.View.DownRegions);
            p["Regions"] = string.Join(',', g.View.Regions);
            // Merges cannot remove properties, so "no incident" is written as empty values.
            p["IncidentId"] = incident is null ? "" : IncidentRows.Id(MonitorTables.EndpointPartition(r.Service.Id, r.Endpoint.Id), incident.Key);
            p["IncidentKind"] = incident?.Kind ?? "";
            p["Cause"] = incident?.Cause.Cause ?? "";
            p["CauseLabel"] = incident?.Cause.Label ?? "";
            p["Evidence"] = incident?.Cause.Evidence ?? "";
            p["Flapping"] = g.State.Flap.Flapping;
            if (g.State.Flap.Since is { } flappingSince)
            {
                p["FlappingSince"] = flappingSince;
            }
        }
        return new TableEntity(MonitorTables.StatusPartition, MonitorTables.EndpointPartition(r.Service.Id, r.Endpoint.Id), p);
    }

    private static StatusRow FromEntity(TableEntity e) => new(
        HealthStatusText.ParseWire(e.GetString("Status")),
        e.GetDate("Since"),
        e.GetDate("LastCheck"),
        e.Properties.ContainsKey("ResponseMs") ? e.GetInt64("ResponseMs") : null,
        e.GetInt64("StatusCode") is var code and > 0 ? (int)code : null,
        NullIfEmpty(e.GetString("LastError")),
        NullIfEmpty(e.GetString("ErrorKind")),
        e.GetDate("CertificateExpiry"),
        GlobalState.SplitRegions(e.GetString("DownRegions")),
        GlobalState.SplitRegions(e.GetString("Regions")),
        NullIfEmpty(e.GetString("IncidentId")) is { } id
            ? new StatusIncident(id, e.GetString("IncidentKind") ?? "", e.GetString("Cause") ?? "", e.GetString("CauseLabel") ?? "", e.GetString("Evidence") ?? "")
            : null)
    {
        ProbeProblem = NullIfEmpty(e.GetString(ProbeProblemProperty)),
        RegionStates = RegionColumns.Read(e),
        // A stale FlappingSince outlives its episode (merges cannot remove it): the flag says whether it applies.
        FlappingSince = e.Get<bool>("Flapping") ? e.GetDate("FlappingSince") : null,
    };

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}

public sealed record StatusIncident(string Id, string Kind, string Cause, string CauseLabel, string Evidence);

public sealed record StatusRow(
    HealthStatus Status,
    DateTimeOffset? Since,
    DateTimeOffset? LastCheck,
    long? ResponseMs,
    int? StatusCode,
    string? LastError,
    string? ErrorKind,
    DateTimeOffset? CertificateExpiry,
    IReadOnlyList<string> DownRegions,
    IReadOnlyList<string> Regions,
    StatusIncident? Incident)
{
    public string? ProbeProblem { get; init; }

    /// <summary>Since when the endpoint flaps (too many status changes in a row); null when it does not.</summary>
    public DateTimeOffset? FlappingSince { get; init; }

    /// <summary>Each probing region's own state, by region name; empty on a row written before regions were on the board.</summary>
    public IReadOnlyList<RegionRow> RegionStates { get; init; } = [];
}
