using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Probing;
using ServerlessMonitor.SelfCheck;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// The cross-region part of recording a probe: reads every region's state of the endpoint and its global
/// row, combines them and lets the incident tracker decide what that means (incident rows, alerts).
/// Only asked when this region's view could change the global state, so a steady probe never pays for it.
/// </summary>
public sealed class GlobalStep(ITableStore store, MonitorTables tables, IOptions<MonitorOptions> monitorOptions, IOptions<AlertsOptions> alertsOptions,
    IOptions<FlappingOptions> flappingOptions, SelfCheckService selfCheck)
{
    private readonly MonitorOptions _options = monitorOptions.Value;

    /// <summary>
    /// A status change, incident work the regional state machine asks for (open, update, resolve — the global
    /// tracker then decides what that means across regions), a certificate entering its warning period, or
    /// flapping (only there can a flapping endpoint be seen to settle).
    /// </summary>
    public bool IsNeeded(EndpointState previous, EndpointState next, IReadOnlyList<StateEffect> effects, Observation observation) =>
        next.Status != previous.Status
        || effects.Count > 0
        || previous.FlappingSince is not null
        || IncidentTracker.CertificateToWarnAbout(observation, alertsOptions.Value.CertificateWarning, previous.CertWarnedFor) is not null;

    public async Task<GlobalOutcome> AdvanceAsync(string partition, ServiceDefinition service, EndpointDefinition endpoint,
        Observation observation, bool inMaintenance, EndpointState previous, EndpointState next, CancellationToken ct)
    {
        var (globalRow, stored) = await ReadAsync(partition, ct);
        // This region's vote is the state being committed, not the stored one.
        var regions = stored.Where(r => r.Region != _options.Region).Prepend(new RegionState(_options.Region, next)).ToList();
        var previousGlobal = globalRow is null ? GlobalState.Initial : GlobalState.FromEntity(globalRow);
        var view = View(regions, endpoint, observation.CheckedAt);
        var cause = LikelyCause.Analyze(observation, LikelyCause.UsableBaseline(previous.BaselineMs, previous.BaselineSamples), inMaintenance);
        var alerts = alertsOptions.Value;
        var context = new TrackerContext(partition, service, endpoint, _options.Instance, alerts.ReminderInterval,
            alerts.CertificateWarning, alerts.StatusLink(service.Id), flappingOptions.Value.Settings);
        var result = IncidentTracker.Advance(previousGlobal, view, observation, cause, context);
        var state = result.State with { Revision = previousGlobal.Revision + 1 };
        var entity = state.ToEntity(partition, globalRow?.ETag);
        return new GlobalOutcome(previousGlobal, state, view,
            globalRow is null ? TableOperation.Insert(entity) : TableOperation.Update(entity), result.IncidentOperations, result.Alerts);
    }

    /// <summary>
    /// The global row as committed (by this or another instance), with the regions' view as of <paramref name="at"/>: what the
    /// board should show when the writer may have died before publishing it. Its previous state is not known here
    /// (<see cref="GlobalState.Initial"/>); the board's own row is what it is compared with. Null when no global row exists.
    /// </summary>
    public async Task<GlobalOutcome?> CommittedAsync(string partition, EndpointDefinition endpoint, DateTimeOffset at, CancellationToken ct)
    {
        var (globalRow, regions) = await ReadAsync(partition, ct);
        if (globalRow is null)
        {
            return null;
        }
        // Nothing to submit: the state operation is the committed row itself.
        return new GlobalOutcome(GlobalState.Initial, GlobalState.FromEntity(globalRow), View(regions, endpoint, at),
            TableOperation.Update(globalRow), [], []);
    }

    /// <summary>The endpoint's global row and every region's stored state, in one range read.</summary>
    private async Task<(TableEntity? Global, List<RegionState> Regions)> ReadAsync(string partition, CancellationToken ct)
    {
        TableEntity? globalRow = null;
        var regions = new List<RegionState>();
        await foreach (var r in store.QueryAllAsync(tables.Endpoints, partition, RowKeyRange.Prefix("state-"), ct: ct))
        {
            if (r.RowKey == MonitorTables.GlobalStateKey)
            {
                globalRow = r;
            }
            else
            {
                regions.Add(new RegionState(r.RowKey["state-".Length..], StateRows.FromEntity(r)));
            }
        }
        return (globalRow, regions);
    }

    private GlobalView View(IEnumerable<RegionState> regions, EndpointDefinition endpoint, DateTimeOffset at)
    {
        // A region that has not checked in for three intervals no longer has a say.
        var staleAfter = endpoint.Interval * 3 + TimeSpan.FromMinutes(1);
        // Regions that cannot reach the internet have no say (as of this region's last self-check, docs/SELFCHECK.md).
        return GlobalStatus.Combine(regions, _options.DownQuorum, at, staleAfter, selfCheck.ExcludedFromQuorum);
    }
}
