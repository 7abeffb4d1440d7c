using Microsoft.Extensions.Options;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// The write half of the status board (Status/StatusBoard.cs): what a cycle recorded goes on the board, each region merging
/// only its own columns, and a global change only where the board does not show that revision of the global row or a newer one.
/// </summary>
public sealed class BoardWriter(StatusBoard board, ITableStore store, MonitorTables tables, IOptions<MonitorOptions> options)
{
    /// <summary>This region's columns and the measurements of each recorded probe; the global part goes through <see cref="PublishGlobalAsync"/>.</summary>
    public Task PublishAsync(IReadOnlyList<RecordedProbe> recorded, CancellationToken ct)
    {
        var region = RegionColumns.For(options.Value.Region);
        return board.MergeAsync(recorded.Select(r => ToRow(r, region)), ct);
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
            if (row is not null && row.GetInt64(StatusBoard.RevisionProperty) >= g.State.Revision)
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
            [StatusBoard.ProbeProblemProperty] = "",
        };
        return new TableEntity(MonitorTables.StatusPartition, MonitorTables.EndpointPartition(r.Service.Id, r.Endpoint.Id), p);
    }

    private static Dictionary<string, object?> GlobalColumns(RecordedProbe r)
    {
        var g = r.Global!;
        var incident = g.State.Incident;
        var p = new Dictionary<string, object?>
        {
            [StatusBoard.RevisionProperty] = g.State.Revision,
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
}

/// <summary>What became of a global change on the board: written, already shown in a newer revision, or still not written.</summary>
public enum GlobalPublish
{
    Written,
    Superseded,
    Contended,
}
