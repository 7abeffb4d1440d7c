using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Maintenance;
using ServerlessMonitor.Probing;
using ServerlessMonitor.SelfCheck;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// One run of the ProbeTimer function: probes every due endpoint concurrently (bounded by
/// Monitor:MaxConcurrency), confirms failures with one quick retry, lets the monitor self-check judge
/// the cycle, then records the results and refreshes the status board. Each endpoint is bounded by its
/// own timeout, so a slow one never holds up the others beyond that.
/// </summary>
public sealed class ProbeCycle
{
    private readonly CatalogProvider _catalog;
    private readonly Dictionary<EndpointKind, IProber> _probers;
    private readonly EndpointRecorder _recorder;
    private readonly StatusBoard _board;
    private readonly ServiceStatusAlerts _serviceAlerts;
    private readonly OutboxDispatcher _dispatcher;
    private readonly MaintenanceCalendar _maintenance;
    private readonly SelfCheckService _selfCheck;
    private readonly MonitorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ProbeCycle> _logger;
    private readonly ResiliencePipeline<Observation> _confirm;
    private readonly SemaphoreSlim _running = new(1, 1);

    public ProbeCycle(CatalogProvider catalog, IEnumerable<IProber> probers, EndpointRecorder recorder, StatusBoard board,
        ServiceStatusAlerts serviceAlerts, OutboxDispatcher dispatcher, MaintenanceCalendar maintenance, SelfCheckService selfCheck,
        IOptions<MonitorOptions> options, TimeProvider time, ILogger<ProbeCycle> logger)
    {
        _maintenance = maintenance;
        _selfCheck = selfCheck;
        _serviceAlerts = serviceAlerts;
        _dispatcher = dispatcher;
        _catalog = catalog;
        _probers = probers.ToDictionary(p => p.Kind);
        _recorder = recorder;
        _board = board;
        _options = options.Value;
        _time = time;
        _logger = logger;
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

    public async Task<ProbeCycleReport> RunAsync(CancellationToken ct)
    {
        // Overlapping timer ticks (a cycle slower than the schedule) skip instead of piling up.
        if (!await _running.WaitAsync(0, ct))
        {
            return ProbeCycleReport.Skipped;
        }
        try
        {
            var started = _time.GetTimestamp();
            var now = _time.GetUtcNow();
            var catalog = _catalog.Current;
            var due = new List<(ServiceDefinition, EndpointDefinition)>();
            foreach (var (service, endpoint) in catalog.AllEndpoints())
            {
                var state = await _recorder.GetStateAsync(service.Id, endpoint.Id, ct);
                if (IsDue(state.LastCheck, endpoint.Interval, now))
                {
                    due.Add((service, endpoint));
                }
            }
            var probed = await ProbeAllAsync(due, now, ct);

            // ── Monitor self-check integration point (docs/SELFCHECK.md) ──────────────────────────────
            // Between the probe phase and the record phase, once per cycle. When this location cannot
            // reach the internet, the cycle's failures say nothing about the targets: nothing is
            // recorded, so no failure counts, no status moves and no alert goes out.
            var verdict = await _selfCheck.AssessAsync(probed.Select(p => CycleProbe.From(p.Service.Id, p.Endpoint.Id, p.Observation)).ToList(), ct);
            if (verdict.Offline)
            {
                return ProbeCycleReport.Offline(catalog.AllEndpoints().Count(), probed.Count, _time.GetElapsedTime(started));
            }
            // ── end of the self-check integration point ──────────────────────────────────────────────

            var recorded = await RecordAllAsync(probed, now, ct);
            var delivery = await PublishAsync(recorded, now, ct);
            return ProbeCycleReport.From(catalog.AllEndpoints().Count(), recorded, _time.GetElapsedTime(started), delivery);
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>Probes one endpoint now, whether due or not (admin "probe now").</summary>
    public async Task<RecordedProbe> ProbeNowAsync(ServiceDefinition service, EndpointDefinition endpoint, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var r = await RecordAsync(await ProbeAsync(service, endpoint, now, ct), now, ct);
        await PublishAsync([r], now, ct);
        return r;
    }

    /// <summary>
    /// Refreshes the status board, raises service-level status changes, then delivers the alerts this
    /// cycle wrote. Delivery failures stay in the outbox for the AlertsTimer; they never fail the cycle.
    /// </summary>
    private async Task<DispatchReport?> PublishAsync(IReadOnlyList<RecordedProbe> recorded, DateTimeOffset now, CancellationToken ct)
    {
        var globalChanged = recorded.Any(r => r.Global is { } g && g.State.Status != g.Previous.Status);
        var before = globalChanged ? await _board.ReadAsync(ct) : null;
        await _board.PublishAsync(recorded, ct);
        var partitions = recorded.Where(r => r.Global?.Alerts.Count > 0)
            .Select(r => MonitorTables.EndpointPartition(r.Service.Id, r.Endpoint.Id)).ToList();
        if (before is not null)
        {
            partitions.AddRange(await _serviceAlerts.RaiseAsync(before, recorded, now, ct));
        }
        return partitions.Count == 0 ? null : await _dispatcher.DispatchAsync(partitions, ct);
    }

    /// <summary>Probe phase: every due endpoint, at most Monitor:MaxConcurrency at once, failures confirmed by a retry.</summary>
    private async Task<IReadOnlyList<ProbedEndpoint>> ProbeAllAsync(IReadOnlyList<(ServiceDefinition, EndpointDefinition)> due, DateTimeOffset now,
        CancellationToken ct)
    {
        var probed = new List<ProbedEndpoint>(due.Count);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = ct },
            async (item, token) =>
            {
                var p = await ProbeAsync(item.Item1, item.Item2, now, token);
                lock (probed)
                {
                    probed.Add(p);
                }
            });
        return probed;
    }

    /// <summary>Record phase: each observation applied to its endpoint's state, with the same concurrency bound.</summary>
    private async Task<IReadOnlyList<RecordedProbe>> RecordAllAsync(IReadOnlyList<ProbedEndpoint> probed, DateTimeOffset now, CancellationToken ct)
    {
        var recorded = new List<RecordedProbe>(probed.Count);
        await Parallel.ForEachAsync(probed, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = ct },
            async (p, token) =>
            {
                var r = await RecordAsync(p, now, token);
                lock (recorded)
                {
                    recorded.Add(r);
                }
            });
        return recorded;
    }

    private async Task<ProbedEndpoint> ProbeAsync(ServiceDefinition service, EndpointDefinition endpoint, DateTimeOffset now, CancellationToken ct)
    {
        var attempts = 0;
        var prober = _probers[endpoint.Kind];
        var observation = await _confirm.ExecuteAsync(async token =>
        {
            attempts++;
            var response = await prober.ProbeAsync(endpoint, token);
            return ObservationJudge.Judge(endpoint, response, now, attempts);
        }, ct);
        return new ProbedEndpoint(service, endpoint, observation);
    }

    private async Task<RecordedProbe> RecordAsync(ProbedEndpoint p, DateTimeOffset now, CancellationToken ct)
    {
        var (service, endpoint, observation) = p;
        // Catalog windows and windows added through the admin API.
        var inMaintenance = await _maintenance.CoversAsync(service.Id, endpoint.Id, now, ct);
        var recorded = await _recorder.RecordAsync(service, endpoint, observation, inMaintenance, ct);
        if (recorded.Previous.Status != recorded.Current.Status)
        {
            // The error may quote the probed body ("[BODY].status (…) == UP"): escaped, so it cannot drive the terminal.
            _logger.LogInformation("{Service}/{Endpoint}: {From} -> {To} ({Error})", service.Id, endpoint.Id,
                recorded.Previous.Status.ToWire(), recorded.Current.Status.ToWire(), LogText.Escape(observation.Error ?? "ok"));
        }
        return recorded;
    }

    /// <summary>
    /// Due when the interval has passed since the last check. A small slack absorbs timer jitter so an
    /// endpoint with a 60 s interval on a 30 s schedule is probed every 60 s, not every 90 s.
    /// </summary>
    internal static bool IsDue(DateTimeOffset? lastCheck, TimeSpan interval, DateTimeOffset now)
    {
        var slack = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, interval.Ticks / 10));
        return lastCheck is null || now - lastCheck.Value >= interval - slack;
    }
}

/// <summary>One endpoint's judged probe, between the probe phase and the record phase of a cycle.</summary>
internal sealed record ProbedEndpoint(ServiceDefinition Service, EndpointDefinition Endpoint, Observation Observation);

public sealed record ProbeCycleReport(bool Ran, int Endpoints, int Probed, int Up, int Degraded, int Down, TimeSpan Elapsed, DispatchReport? Alerts)
{
    /// <summary>The self-check found this location offline: the cycle's probes were not recorded.</summary>
    public bool LocationOffline { get; init; }

    public static readonly ProbeCycleReport Skipped = new(false, 0, 0, 0, 0, 0, TimeSpan.Zero, null);

    public static ProbeCycleReport Offline(int endpoints, int probed, TimeSpan elapsed) =>
        new(true, endpoints, probed, 0, 0, 0, elapsed, null) { LocationOffline = true };

    public static ProbeCycleReport From(int endpoints, IReadOnlyList<RecordedProbe> recorded, TimeSpan elapsed, DispatchReport? alerts) =>
        new(true, endpoints, recorded.Count,
            recorded.Count(r => r.Observation.Outcome == ProbeOutcome.Up),
            recorded.Count(r => r.Observation.Outcome == ProbeOutcome.Degraded),
            recorded.Count(r => r.Observation.Outcome == ProbeOutcome.Down),
            elapsed, alerts);

    public override string ToString() => !Ran
        ? "probe cycle skipped: the previous cycle is still running"
        : LocationOffline
        ? $"probe cycle: {Probed} of {Endpoints} endpoints probed, none recorded: this location is offline (monitor self-check); {Elapsed.TotalMilliseconds:F0} ms"
        : $"probe cycle: {Probed} of {Endpoints} endpoints due; {Up} up, {Degraded} degraded, {Down} down; {Elapsed.TotalMilliseconds:F0} ms"
          + (Alerts is { } a ? $"; {a}" : "");
}
