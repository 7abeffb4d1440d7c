using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Status;

/// <summary>
/// Applies an observation to an endpoint's persisted state. A probe's whole effect (result row and
/// state) is one atomic batch in the endpoint's partition. State rows are cached with their ETag so
/// a steady probe costs one transaction; when another writer got there first the ETag check fails,
/// the state is re-read and the transition recomputed.
/// </summary>
public sealed class EndpointRecorder(ITableStore store, MonitorTables tables, IOptions<MonitorOptions> options, ILogger<EndpointRecorder> logger)
{
    private const int MaxAttempts = 4;
    private readonly ConcurrentDictionary<string, TableEntity?> _states = new();
    private readonly string _region = options.Value.Region;

    public async Task<EndpointState> GetStateAsync(string service, string endpoint, CancellationToken ct)
    {
        var row = await GetStateRowAsync(MonitorTables.EndpointPartition(service, endpoint), ct);
        return row is null ? EndpointState.Initial : StateRows.FromEntity(row);
    }

    public async Task<RecordedProbe> RecordAsync(ServiceDefinition service, EndpointDefinition endpoint, Observation observation,
        bool inMaintenance, CancellationToken ct)
    {
        var partition = MonitorTables.EndpointPartition(service.Id, endpoint.Id);
        var stateKey = MonitorTables.StateKey(_region);
        var thresholds = new Thresholds(endpoint.FailureThreshold, endpoint.SuccessThreshold);
        for (var attempt = 1; ; attempt++)
        {
            var row = await GetStateRowAsync(partition, ct);
            var previous = row is null ? EndpointState.Initial : StateRows.FromEntity(row);
            var (next, effects) = EndpointStateMachine.Transition(previous, observation.Outcome, inMaintenance, thresholds, observation.CheckedAt);
            var stateEntity = StateRows.ToEntity(partition, stateKey, next, row?.ETag);
            List<TableOperation> batch =
            [
                TableOperation.UpsertReplace(StateRows.ResultEntity(partition, _region, observation)),
                row is null ? TableOperation.Insert(stateEntity) : TableOperation.Update(stateEntity),
            ];
            try
            {
                var etags = await store.SubmitBatchAsync(tables.Endpoints, batch, ct);
                _states[partition] = stateEntity with { ETag = etags[1] };
                return new RecordedProbe(service, endpoint, previous, next, effects, observation);
            }
            catch (TableStoreException e) when (e.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.Conflict && attempt < MaxAttempts)
            {
                logger.LogInformation("State of {Partition} changed under us ({Kind}); re-reading", partition, e.Kind);
                _states.TryRemove(partition, out _);
            }
        }
    }

    private async Task<TableEntity?> GetStateRowAsync(string partition, CancellationToken ct)
    {
        if (_states.TryGetValue(partition, out var cached))
        {
            return cached;
        }
        var row = await store.GetAsync(tables.Endpoints, partition, MonitorTables.StateKey(_region), ct);
        _states[partition] = row;
        return row;
    }
}

/// <summary>What one recorded probe changed.</summary>
public sealed record RecordedProbe(
    ServiceDefinition Service,
    EndpointDefinition Endpoint,
    EndpointState Previous,
    EndpointState Current,
    IReadOnlyList<StateEffect> Effects,
    Observation Observation);
