using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Status;

/// <summary>
/// The denormalised Status table the status API reads: one row per endpoint, merged in batches of
/// 100 after each cycle. Its status is the endpoint's global status, written only when a probe changed
/// the global row and guarded by that row's revision, so a slower instance never puts an older global
/// status back; a region whose probe did not move the global state only refreshes the measurements.
/// A global change the board could not take is published again by the next cycle (Cycle/BoardLedger.cs).
/// </summary>
public sealed class StatusBoard(ITableStore store, MonitorTables tables, IOptions<MonitorOptions> options)
{
    // Chunks written side by side: SQLite commits them as one group, Table Storage gets them in parallel.
    private const int ParallelBatches = 8;
    private const string ProbeProblemProperty = "ProbeProblem";
    private const string RevisionProperty = "Revision";

    /// <summary>This region's columns and the measurements of each recorded probe; the global part goes through <see cref="PublishGlobalAsync"/>.</summary>
    public Task PublishAsync(IReadOnlyList<RecordedProbe> recorded, CancellationToken ct)
    {
        var region = RegionColumns.For(options.Value.Region);
        return MergeAsync(recorded.Select(r => ToRow(r, region)), ct);
    }

    /// <summary>
    /// Writes an endpoint's global status and incident unless the board already shows this revision of the global row or
    /// a newer one (another region's instance published after it committed). Read, compare, write under the row's ETag:
    /// one read per global change, never per steady probe.
    /// </summary>
    public async Task<GlobalPublish> PublishGlobalAsync(RecordedProbe recorded, CancellationToken ct)
    {
        var g = recorded.Global ?? throw new ArgumentException("The probe did not touch the global state.", nameof(recorded));
        var key = MonitorTables.EndpointPartition(recorded.Service.Id, recorded.Endpoint.Id);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var row = await store.GetAsync(tables.Status, MonitorTables.StatusPartition, key, ct);
            if (row is not null && row.GetInt64(RevisionProperty) >= g.State.Revision)
            {
                return GlobalPublish.Superseded;
            }
            var properties = new Dictionary<string, object?>(row?.Properties ?? new Dictionary<string, object?>());
            foreach (var (name, value) in GlobalColumns(recorded))
            {
                properties[name] = value;
            }
            var entity = new TableEntity(MonitorTables.StatusPartition, key, properties) { ETag = row?.ETag };
            try
            {
                await store.ExecuteAsync(tables.Status, row is null ? TableOperation.Insert(entity) : TableOperation.Update(entity), ct);
                return GlobalPublish.Written;
            }
            catch (TableStoreException e) when (e.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.Conflict)
            {
                // Another region merged its columns (or published) meanwhile: read again.
            }
        }
        return GlobalPublish.Contended;
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
        SharedReads.ReadAsync($"board\n{tables.Status}", ReadFreshAsync, ct);

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
        return new TableEntity(MonitorTables.StatusPartition, MonitorTables.EndpointPartition(r.Service.Id, r.Endpoint.Id), p);
    }

    private static Dictionary<string, object?> GlobalColumns(RecordedProbe r)
    {
        var g = r.Global!;
        var incident = g.State.Incident;
        var p = new Dictionary<string, object?>
        {
            [RevisionProperty] = g.State.Revision,
            ["Status"] = g.State.Status.ToWire(),
            ["Since"] = g.State.Since,
            ["DownRegions"] = string.Join(',', g.View.DownRegions),
            ["Regions"] = string.Join(',', g.View.Regions),
            // Written as empty values rather than removed, as merges cannot remove properties.
            ["IncidentId"] = incident is null ? "" : IncidentRows.Id(MonitorTables.EndpointPartition(r.Service.Id, r.Endpoint.Id), incident.Key),
            ["IncidentKind"] = incident?.Kind.ToWire() ?? "",
            ["Cause"] = incident?.Cause.Cause ?? "",
            ["CauseLabel"] = incident?.Cause.Label ?? "",
            ["Evidence"] = incident?.Cause.Evidence ?? "",
            ["Flapping"] = g.State.Flap.Flapping,
        };
        if (g.State.Flap.Since is { } flappingSince)
        {
            p["FlappingSince"] = flappingSince;
        }
        return p;
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

/// <summary>What became of a global change on the board: written, already shown in a newer revision, or still not written.</summary>
public enum GlobalPublish
{
    Written,
    Superseded,
    Contended,
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
