using ServerlessMonitor.Hosting;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Status;

/// <summary>
/// The denormalised Status table the status API reads: one row per endpoint, merged in batches of
/// 100 after each cycle. Its status is the endpoint's global status, written only when a probe changed
/// the global row and guarded by that row's revision, so a slower instance never puts an older global
/// status back; a region whose probe did not move the global state only refreshes the measurements.
/// A cycle writes it through Cycle/BoardWriter.cs; a global change the board could not take is published again
/// by the next cycle (Cycle/BoardLedger.cs).
/// </summary>
public sealed class StatusBoard(ITableStore store, MonitorTables tables)
{
    // Chunks written side by side: SQLite commits them as one group, Table Storage gets them in parallel.
    private const int ParallelBatches = 8;
    /// <summary>The problem mark of an endpoint whose check did not happen; a recorded probe clears it.</summary>
    public const string ProbeProblemProperty = "ProbeProblem";

    /// <summary>The revision of the global state row whose status the board shows.</summary>
    public const string RevisionProperty = "Revision";

    /// <summary>
    /// Marks endpoints whose scheduled check did not happen (their probe shard failed every attempt). The mark stays
    /// until the endpoint's next recorded probe clears it; status and measurements stay as last known.
    /// </summary>
    public Task MarkNotProbedAsync(IEnumerable<(string Service, string Endpoint)> endpoints, string problem, CancellationToken ct) =>
        MergeAsync(endpoints.Select(e => new TableEntity(MonitorTables.StatusPartition, MonitorTables.EndpointPartition(e.Service, e.Endpoint),
            new Dictionary<string, object?> { [ProbeProblemProperty] = problem })), ct);

    /// <summary>Names another cause for endpoints' open incidents (a dependency that is down, Notifications/ServiceIncidentAlerts).</summary>
    public Task MarkCauseAsync(IEnumerable<(string Service, string Endpoint)> endpoints, string cause, string label, string evidence,
        CancellationToken ct) =>
        MergeAsync(endpoints.Select(e => new TableEntity(MonitorTables.StatusPartition, MonitorTables.EndpointPartition(e.Service, e.Endpoint),
            new Dictionary<string, object?> { ["Cause"] = cause, ["CauseLabel"] = label, ["Evidence"] = evidence })), ct);

    /// <summary>Merges rows into the board, in batches written side by side.</summary>
    public Task MergeAsync(IEnumerable<TableEntity> rows, CancellationToken ct) =>
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

    private static StatusRow FromEntity(TableEntity e) => new(
        HealthStatusText.ParseWire(e.GetString("Status")),
        e.GetDate("Since"),
        e.GetDate("LastCheck"),
        e.Properties.ContainsKey("ResponseMs") ? e.GetInt64("ResponseMs") : null,
        e.GetInt64("StatusCode") is var code and > 0 ? (int)code : null,
        NullIfEmpty(e.GetString("LastError")),
        NullIfEmpty(e.GetString("ErrorKind")),
        e.GetDate("CertificateExpiry"),
        GlobalView.SplitRegions(e.GetString("DownRegions")),
        GlobalView.SplitRegions(e.GetString("Regions")),
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
