using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.SelfCheck;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// Applies an observation to an endpoint's persisted state. A probe's whole effect — result row,
/// regional state and, when something changes, the global state, the incident row and the outbox
/// rows of its alerts — is one atomic batch in the endpoint's partition.
/// The regional state row is cached with its ETag, so a steady probe costs one transaction and no
/// read. When another writer got there first the ETag check fails, the state is re-read and the
/// transition recomputed (alert ids are stable, so a recomputation never duplicates an alert).
/// </summary>
public sealed class EndpointRecorder(ITableStore store, MonitorTables tables, RollupWriter rollups, IOptions<MonitorOptions> monitorOptions,
    IOptions<AlertsOptions> alertsOptions, SelfCheckService selfCheck, ILogger<EndpointRecorder> logger)
{
    private const int MaxAttempts = 5;
    private readonly ConcurrentDictionary<string, TableEntity?> _states = new();
    private readonly MonitorOptions _options = monitorOptions.Value;

    public async Task<EndpointState> GetStateAsync(string service, string endpoint, CancellationToken ct)
    {
        var row = await GetStateRowAsync(MonitorTables.EndpointPartition(service, endpoint), ct);
        return row is null ? EndpointState.Initial : StateRows.FromEntity(row);
    }

    public async Task<RecordedProbe> RecordAsync(ServiceDefinition service, EndpointDefinition endpoint, Observation observation,
        bool inMaintenance, CancellationToken ct)
    {
        var partition = MonitorTables.EndpointPartition(service.Id, endpoint.Id);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryRecordAsync(partition, service, endpoint, observation, inMaintenance, verify: attempt > 1, ct);
            }
            catch (TableStoreException e) when (e.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.Conflict && attempt < MaxAttempts)
            {
                logger.LogInformation("State of {Partition} changed under us ({Kind}); re-reading", partition, e.Kind);
                _states.TryRemove(partition, out _);
                rollups.Forget(partition);
            }
        }
    }

    private async Task<RecordedProbe> TryRecordAsync(string partition, ServiceDefinition service, EndpointDefinition endpoint,
        Observation observation, bool inMaintenance, bool verify, CancellationToken ct)
    {
        var regionKey = MonitorTables.StateKey(_options.Region);
        var row = await GetStateRowAsync(partition, ct);
        var previous = row is null ? EndpointState.Initial : StateRows.FromEntity(row);
        var (next, effects) = EndpointStateMachine.Transition(previous, observation.Outcome, inMaintenance,
            new Thresholds(endpoint.FailureThreshold, endpoint.SuccessThreshold), observation.CheckedAt);
        var (baseline, samples) = LikelyCause.UpdateBaseline(previous.BaselineMs, previous.BaselineSamples, observation);
        next = next with { BaselineMs = baseline, BaselineSamples = samples, CertWarnedFor = previous.CertWarnedFor };

        var batch = new List<TableOperation> { TableOperation.UpsertReplace(StateRows.ResultEntity(partition, _options.Region, observation)) };
        GlobalOutcome? global = null;
        if (NeedsGlobal(previous, next, effects, observation))
        {
            global = await AdvanceGlobalAsync(partition, service, endpoint, observation, inMaintenance, previous, next, ct);
            next = next with { CertWarnedFor = global.State.CertWarnedFor };
            batch.Add(global.StateOperation);
            batch.AddRange(global.IncidentOperations);
            batch.AddRange(global.Alerts.Select(a => TableOperation.Insert(OutboxRows.Create(partition, a, observation.CheckedAt))));
        }
        var rollupRows = await rollups.NextAsync(partition, _options.Region, observation, inMaintenance, verify, ct);
        batch.AddRange(rollupRows.Select(RollupWriter.Operation));
        var stateEntity = StateRows.ToEntity(partition, regionKey, next, row?.ETag);
        batch.Add(row is null ? TableOperation.Insert(stateEntity) : TableOperation.Update(stateEntity));

        var etags = await store.SubmitBatchAsync(tables.Endpoints, batch, ct);
        _states[partition] = stateEntity with { ETag = etags[^1] };
        for (var i = 0; i < rollupRows.Count; i++)
        {
            rollups.Committed(partition, rollupRows[i], etags[^(1 + rollupRows.Count - i)]);
        }
        return new RecordedProbe(service, endpoint, previous, next, observation, global);
    }

    /// <summary>
    /// The global row is only touched when this region's view could change it: a status change, incident
    /// work the regional state machine asks for (open, update, resolve — the global tracker then decides
    /// what that means across regions), or a certificate entering its warning period.
    /// </summary>
    private bool NeedsGlobal(EndpointState previous, EndpointState next, IReadOnlyList<StateEffect> effects, Observation observation) =>
        next.Status != previous.Status
        || effects.Count > 0
        || IncidentTracker.CertificateToWarnAbout(observation, alertsOptions.Value.CertificateWarning, previous.CertWarnedFor) is not null;

    private async Task<GlobalOutcome> AdvanceGlobalAsync(string partition, ServiceDefinition service, EndpointDefinition endpoint,
        Observation observation, bool inMaintenance, EndpointState previous, EndpointState next, CancellationToken ct)
    {
        var regionKey = MonitorTables.StateKey(_options.Region);
        var regions = new List<RegionState> { new(_options.Region, next) };
        TableEntity? globalRow = null;
        await foreach (var r in store.QueryAllAsync(tables.Endpoints, partition, RowKeyRange.Prefix("state-"), ct: ct))
        {
            if (r.RowKey == MonitorTables.GlobalStateKey)
            {
                globalRow = r;
            }
            else if (r.RowKey != regionKey)
            {
                regions.Add(new RegionState(r.RowKey["state-".Length..], StateRows.FromEntity(r)));
            }
        }
        var previousGlobal = globalRow is null ? GlobalState.Initial : GlobalState.FromEntity(globalRow);
        // A region that has not checked in for three intervals no longer has a say.
        var staleAfter = endpoint.Interval * 3 + TimeSpan.FromMinutes(1);
        // Monitor self-check: regions that cannot reach the internet have no say (read once per cycle, docs/SELFCHECK.md).
        var view = GlobalStatus.Combine(regions, _options.DownQuorum, observation.CheckedAt, staleAfter, selfCheck.ExcludedFromQuorum);
        var cause = LikelyCause.Analyze(observation, LikelyCause.UsableBaseline(previous.BaselineMs, previous.BaselineSamples), inMaintenance);
        var alerts = alertsOptions.Value;
        var context = new TrackerContext(partition, service, endpoint, _options.Instance, alerts.ReminderInterval,
            alerts.CertificateWarning, alerts.StatusLink(service.Id));
        var result = IncidentTracker.Advance(previousGlobal, view, observation, cause, context);
        var entity = result.State.ToEntity(partition, globalRow?.ETag);
        return new GlobalOutcome(previousGlobal, result.State, view,
            globalRow is null ? TableOperation.Insert(entity) : TableOperation.Update(entity), result.IncidentOperations, result.Alerts);
    }

    private async Task<TableEntity?> GetStateRowAsync(string partition, CancellationToken ct)
    {
        if (_states.TryGetValue(partition, out var cached))
        {
            return cached;
        }
        var row = await store.GetAsync(tables.Endpoints, partition, MonitorTables.StateKey(_options.Region), ct);
        _states[partition] = row;
        return row;
    }
}
