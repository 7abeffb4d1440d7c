using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// Applies an observation to an endpoint's persisted state. A probe's whole effect — result row,
/// regional state, rollups and, when something changes, the global state, the incident row and the
/// outbox rows of its alerts — is one atomic batch in the endpoint's partition. Written behind
/// (<see cref="WriteBehind"/>, SQLite), a steady probe's batch is its result row alone and its state and
/// rollups wait for the end of the cycle. The parts come from
/// their own jobs: <see cref="EndpointStates"/> (the cached state row), <see cref="GlobalStep"/>
/// (global state, incidents, alerts) and <see cref="RollupWriter"/> (hourly and daily figures).
/// When another writer got there first the ETag check fails, the state is re-read and the transition
/// recomputed (alert ids are stable, so a recomputation never duplicates an alert).
/// </summary>
public sealed class EndpointRecorder(ITableStore store, MonitorTables tables, EndpointStates states, GlobalStep global,
    RollupWriter rollups, LiveRollups live, SlotRepair slotRepair, WriteBehind behind, OutboxIndex outboxIndex, IOptions<MonitorOptions> monitorOptions, ILogger<EndpointRecorder> logger)
{
    private const int MaxAttempts = 5;
    private readonly string _region = monitorOptions.Value.Region;

    /// <summary>
    /// Records the observation. With <paramref name="oncePerSlot"/> (probe cycles) it returns null when the endpoint
    /// already has a check at or after the observation's time — a retried shard of a cycle that was partly recorded
    /// before it failed — so each scheduled slot counts once. An endpoint already recorded for this very slot has its
    /// global row handed to <see cref="SlotRepair"/>, as the attempt that recorded it may have died before publishing.
    /// </summary>
    public async Task<RecordedProbe?> RecordAsync(ServiceDefinition service, EndpointDefinition endpoint, Observation observation,
        bool inMaintenance, bool oncePerSlot, CancellationToken ct)
    {
        var partition = MonitorTables.EndpointPartition(service.Id, endpoint.Id);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryRecordAsync(partition, service, endpoint, observation, inMaintenance, oncePerSlot, verify: attempt > 1, ct);
            }
            catch (TableStoreException e) when (e.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.Conflict && attempt < MaxAttempts)
            {
                logger.LogInformation("State of {Partition} changed under us ({Kind}); re-reading", partition, e.Kind);
                states.Forget(partition);
                rollups.Forget(partition);
                live.Forget(partition);
            }
        }
    }

    private async Task<RecordedProbe?> TryRecordAsync(string partition, ServiceDefinition service, EndpointDefinition endpoint,
        Observation observation, bool inMaintenance, bool oncePerSlot, bool verify, CancellationToken ct)
    {
        var reading = CycleProfile.Start();
        var stored = await states.GetAsync(partition, ct);
        CycleProfile.Stop(ProfileStep.StateRead, reading);
        var previous = stored.State;
        if (oncePerSlot && previous.LastCheck >= observation.CheckedAt)
        {
            if (previous.LastCheck == observation.CheckedAt)
            {
                await slotRepair.RepublishAsync(partition, service, endpoint, previous, observation, ct);
            }
            return null;
        }
        var (next, effects) = EndpointStateMachine.Transition(previous, observation.Outcome, inMaintenance,
            new Thresholds(endpoint.FailureThreshold, endpoint.SuccessThreshold), observation.CheckedAt);
        var (baseline, samples) = LikelyCause.UpdateBaseline(previous.BaselineMs, previous.BaselineSamples, observation);
        next = next with { BaselineMs = baseline, BaselineSamples = samples, CertWarnedFor = previous.CertWarnedFor };

        var batch = new List<TableOperation>(6) { TableOperation.UpsertReplace(
            StateRows.ResultEntity(partition, _region, observation, changedStatus: next.Status != previous.Status)) };
        GlobalOutcome? outcome = null;
        var globalStep = CycleProfile.Start();
        if (global.IsNeeded(previous, next, effects, observation))
        {
            outcome = await global.AdvanceAsync(partition, service, endpoint, observation, inMaintenance, previous, next, ct);
            next = next with { CertWarnedFor = outcome.State.CertWarnedFor, FlappingSince = outcome.State.Flap.Since };
            batch.Add(outcome.StateOperation);
            batch.AddRange(outcome.IncidentOperations);
            batch.AddRange(outcome.Alerts.Select(a => TableOperation.Insert(OutboxRows.Create(partition, a, observation.CheckedAt))));
            if (outcome.Alerts.Count > 0)
            {
                // Before the batch: the sweep finds the partition even if this process dies before dispatching it.
                await outboxIndex.MarkAsync(partition, ct);
            }
        }
        CycleProfile.Stop(ProfileStep.Global, globalStep);
        var rollupStep = CycleProfile.Start();
        var rollupRows = await rollups.NextAsync(partition, _region, observation, inMaintenance, verify, readCold: behind.Enabled, ct);
        CycleProfile.Stop(ProfileStep.Rollups, rollupStep);
        var submitting = CycleProfile.Start();
        if (behind.Enabled && outcome is null)
        {
            await WriteSteadyAsync(partition, batch, rollupRows, stored, next, ct);
        }
        else
        {
            await WriteAllAsync(partition, batch, rollupRows, stored.ETag, next, ct);
        }
        CycleProfile.Stop(ProfileStep.Submit, submitting);
        live.Recorded(partition, observation.CheckedAt, rollupRows); // what the snapshot build shows of today, without reading it back
        return new RecordedProbe(service, endpoint, previous, next, observation, outcome);
    }

    /// <summary>The whole effect in one batch; afterwards nothing of the partition waits to be written.</summary>
    private async Task WriteAllAsync(string partition, List<TableOperation> batch, IReadOnlyList<RollupRow> rollupRows, string? etag,
        EndpointState next, CancellationToken ct)
    {
        batch.AddRange(rollupRows.Select(RollupWriter.Operation));
        var stateEntity = StateRows.ToEntity(partition, states.RowKey, next, etag);
        batch.Add(etag is null ? TableOperation.Insert(stateEntity) : TableOperation.Update(stateEntity));
        var etags = await store.SubmitBatchAsync(tables.Endpoints, batch, ct);
        states.Committed(partition, etags[^1]!, next);
        for (var i = 0; i < rollupRows.Count; i++)
        {
            rollups.Committed(partition, rollupRows[i], etags[^(1 + rollupRows.Count - i)]);
        }
        behind.Written(partition);
    }

    /// <summary>A steady probe written behind: the result row (and the last figures of a period that just ended) now, the rest at the flush.</summary>
    private async Task WriteSteadyAsync(string partition, List<TableOperation> batch, IReadOnlyList<RollupRow> rollupRows, StoredState stored,
        EndpointState next, CancellationToken ct)
    {
        batch.AddRange(rollupRows.Where(r => r.Closing).Select(RollupWriter.Operation));
        await store.SubmitBatchAsync(tables.Endpoints, batch, ct);
        behind.Defer(partition, stored, next, rollupRows);
    }
}
