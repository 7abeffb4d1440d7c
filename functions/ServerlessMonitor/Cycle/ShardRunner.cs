using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using System.Runtime.ExceptionServices;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Maintenance;
using ServerlessMonitor.Probing;
using ServerlessMonitor.SelfCheck;
using ServerlessMonitor.Status;
using ServerlessMonitor.Telemetry;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// Probes a set of endpoints and records them: the work of one shard, whether it came from the in-process
/// channel or from the queue. Probes run at most Monitor:MaxConcurrency at a time per instance (shards
/// running side by side share the limit); a failed probe waits for its confirmation retry without holding a
/// slot; each result is written as soon as it is known, without holding a probe slot either, so the store's
/// latency never slows probing down (SQLite commits the writes in groups).
/// </summary>
public sealed class ShardRunner
{
    // Concurrent writes per instance: enough for SQLite to group many probes into one commit and for Table
    // Storage to keep the network busy, few enough not to open a connection per endpoint.
    private const int MaxConcurrentWrites = 64;

    private readonly Dictionary<EndpointKind, IProber> _probers;
    private readonly EndpointRecorder _recorder;
    private readonly CyclePublisher _publisher;
    private readonly MaintenanceCalendar _maintenance;
    private readonly SelfCheckService _selfCheck;
    private readonly MonitorOptions _options;
    private readonly ILogger<ShardRunner> _logger;
    private readonly ProbeTelemetry _telemetry;
    private readonly ResiliencePipeline<Observation> _confirm;
    private readonly SemaphoreSlim _probeSlots;
    private readonly SemaphoreSlim _writeSlots = new(MaxConcurrentWrites, MaxConcurrentWrites);

    public ShardRunner(IEnumerable<IProber> probers, EndpointRecorder recorder, CyclePublisher publisher, MaintenanceCalendar maintenance,
        SelfCheckService selfCheck, IOptions<MonitorOptions> options, ILogger<ShardRunner> logger, ProbeTelemetry telemetry)
    {
        _publisher = publisher;
        _telemetry = telemetry;
        _selfCheck = selfCheck;
        _probers = probers.ToDictionary(p => p.Kind);
        _recorder = recorder;
        _maintenance = maintenance;
        _options = options.Value;
        _logger = logger;
        _probeSlots = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
        _confirm = new ResiliencePipelineBuilder<Observation>()
            .AddRetry(new RetryStrategyOptions<Observation>
            {
                MaxRetryAttempts = 1,
                Delay = _options.ConfirmationDelay,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.Outcome == ProbeOutcome.Down),
            })
            .Build();
    }

    /// <summary>
    /// A shard on its own (from the queue): probes and records its endpoints for its slot, then publishes what it recorded.
    /// It never judges the location: ProbeTimer did, once for the whole cycle, before queuing it (FanOutSelfCheck). A failed
    /// write fails the shard after the rest is published, so the host retries it; the slot makes the retry record only what this attempt did not.
    /// </summary>
    public async Task<ShardReport> RunAsync(ProbeShard shard, MonitorCatalog catalog, CancellationToken ct)
    {
        var recording = new Recording();
        await _selfCheck.RefreshQuorumAsync(ct);
        await ProbeAsync(shard, catalog, new CycleGate(selfCheckOn: false), recording, ct);
        var (recorded, failure) = await recording.ResultAsync();
        var delivery = await _publisher.PublishAsync(recorded, shard.Slot, ct);
        failure?.Throw();
        return new ShardReport(shard.Endpoints.Count, recorded, delivery);
    }

    /// <summary>A self-check gate for one judged set of probes: a cycle in process.</summary>
    public CycleGate NewGate() => new(_selfCheck.IsEnabled);

    /// <summary>
    /// Probes the shard's endpoints for its slot and starts recording each as soon as the gate lets it through;
    /// the writes run on in <paramref name="recording"/> and never hold a probe slot.
    /// </summary>
    public Task ProbeAsync(ProbeShard shard, MonitorCatalog catalog, CycleGate gate, Recording recording, CancellationToken ct) =>
        // More endpoints in flight than probe slots, so the ones waiting out a confirmation delay leave their slot to others.
        Parallel.ForEachAsync(shard.Resolve(catalog), new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency * 4, CancellationToken = ct },
            async (item, token) =>
            {
                var observation = await ProbeEndpointAsync(item.Endpoint, shard.Slot, token);
                _telemetry.Probed(item.Service, item.Endpoint, observation);
                var inMaintenance = await _maintenance.CoversAsync(catalog, item.Service.Id, item.Endpoint.Id, shard.Slot, token);
                foreach (var ready in gate.Admit(new ProbedEndpoint(item.Service, item.Endpoint, observation, inMaintenance)))
                {
                    recording.Add(RecordAsync(ready, oncePerSlot: true, ct));
                }
            });

    /// <summary>
    /// The monitor self-check over everything the gate saw; the probes it held back are recorded unless this
    /// location turned out to be offline, in which case they say nothing about their targets and are dropped.
    /// </summary>
    public async Task<SelfCheckVerdict> SettleAsync(CycleGate gate, Recording recording, CancellationToken ct)
    {
        var verdict = await _selfCheck.AssessAsync(gate.Probes, ct);
        var held = gate.TakeHeld();
        if (!verdict.Offline)
        {
            foreach (var probed in held)
            {
                recording.Add(RecordAsync(probed, oncePerSlot: true, ct));
            }
        }
        return verdict;
    }

    /// <summary>Probes one endpoint now, whether due or not (admin "probe now"); no self-check, an operator asked for this one.</summary>
    public async Task<RecordedProbe> ProbeNowAsync(MonitorCatalog catalog, ServiceDefinition service, EndpointDefinition endpoint, DateTimeOffset now,
        CancellationToken ct)
    {
        var observation = await ProbeEndpointAsync(endpoint, now, ct);
        _telemetry.Probed(service, endpoint, observation);
        var inMaintenance = await _maintenance.CoversAsync(catalog, service.Id, endpoint.Id, now, ct);
        var r = (await RecordAsync(new ProbedEndpoint(service, endpoint, observation, inMaintenance), oncePerSlot: false, ct))!;
        await _publisher.PublishAsync([r], now, ct);
        return r;
    }

    /// <summary>One probe with its confirmation retry, under the instance's probe slots.</summary>
    internal async Task<Observation> ProbeEndpointAsync(EndpointDefinition endpoint, DateTimeOffset slot, CancellationToken ct)
    {
        var attempts = 0;
        var prober = _probers[endpoint.Kind];
        return await _confirm.ExecuteAsync(async token =>
        {
            await _probeSlots.WaitAsync(token);
            try
            {
                attempts++;
                var response = await prober.ProbeAsync(endpoint, token);
                return ObservationJudge.Judge(endpoint, response, slot, attempts);
            }
            finally
            {
                _probeSlots.Release();
            }
        }, ct);
    }

    private async Task<RecordedProbe?> RecordAsync(ProbedEndpoint probed, bool oncePerSlot, CancellationToken ct)
    {
        var (service, endpoint, observation, inMaintenance) = probed;
        await _writeSlots.WaitAsync(ct);
        RecordedProbe? recorded;
        try
        {
            recorded = await _recorder.RecordAsync(service, endpoint, observation, inMaintenance, oncePerSlot, ct);
        }
        finally
        {
            _writeSlots.Release();
        }
        if (recorded is not null && recorded.Previous.Status != recorded.Current.Status)
        {
            // The error may quote the probed body ("[BODY].status (…) == UP"): escaped, so it cannot drive the terminal.
            _logger.LogInformation("{Service}/{Endpoint}: {From} -> {To} ({Error})", service.Id, endpoint.Id,
                recorded.Previous.Status.ToWire(), recorded.Current.Status.ToWire(), LogText.Escape(observation.Error ?? "ok"));
        }
        return recorded;
    }
}

/// <summary>What one shard did: endpoints it carried, what it recorded (retried endpoints recorded before are not counted again).</summary>
public sealed record ShardReport(int Endpoints, IReadOnlyList<RecordedProbe> Recorded, DispatchReport? Alerts);

/// <summary>
/// The writes of a cycle or shard, started as results come in. What was recorded is published even when some
/// writes failed (the retry skips recorded endpoints, so their status rows and alerts would otherwise wait for
/// the next cycle); the first failure is rethrown after that.
/// </summary>
public sealed class Recording
{
    private readonly List<Task<RecordedProbe?>> _writes = [];

    public void Add(Task<RecordedProbe?> write)
    {
        lock (_writes)
        {
            _writes.Add(write);
        }
    }

    public async Task<(IReadOnlyList<RecordedProbe> Recorded, ExceptionDispatchInfo? Failure)> ResultAsync()
    {
        Task<RecordedProbe?>[] writes;
        lock (_writes)
        {
            writes = [.. _writes];
        }
        // Failures are looked at per write below.
        await ((Task)Task.WhenAll(writes)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var recorded = writes.Where(w => w.IsCompletedSuccessfully).Select(w => w.Result).OfType<RecordedProbe>().ToList();
        var failed = writes.FirstOrDefault(w => !w.IsCompletedSuccessfully);
        return (recorded, failed is null ? null : ExceptionDispatchInfo.Capture(failed.Exception?.InnerException ?? new OperationCanceledException()));
    }
}
