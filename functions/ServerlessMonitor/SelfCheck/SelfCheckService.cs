using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.ReadModel;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.SelfCheck;

/// <summary>This cycle's verdict on the probing location, and the evidence behind it.</summary>
public sealed record SelfCheckVerdict(bool Offline, CycleEvidence Evidence, IReadOnlyList<ControlResult> ControlTargets);

/// <summary>
/// The monitor self-check, once per probe cycle between probing and recording (docs/SELFCHECK.md): reads every
/// region's location row (one query), applies <see cref="OfflineRule"/> to the cycle's probes — probing the
/// control targets only when the probes alone point at this location — and, when the verdict changes, writes
/// the location row and its Monitor.Offline / .Online event in one batch.
/// </summary>
public sealed class SelfCheckService(LocationReader reader, OutboxWriter outbox, ControlTargetProber controls,
    OutboxDispatcher dispatcher, IOptions<SelfCheckOptions> options, IOptions<MonitorOptions> monitor, IOptions<AlertsOptions> alerts,
    ChangedServices changed, TimeProvider time, ILogger<SelfCheckService> logger)
{
    // One verdict at a time per instance: _lastGood and the location row are read and written as one step.
    private readonly SemaphoreSlim _judging = new(1, 1);
    private volatile IReadOnlySet<string> _excluded = new HashSet<string>();
    private DateTimeOffset? _lastGood;

    /// <summary>
    /// Other regions that were offline at this region's last cycle: left out of the quorum (GlobalStatus.Combine).
    /// Never this region itself — a region that records results is online by definition.
    /// </summary>
    public IReadOnlySet<string> ExcludedFromQuorum => _excluded;

    /// <summary>Monitor:SelfCheckMinServices 0 turns the self-check off: no probe is ever held back for it.</summary>
    public bool IsEnabled => options.Value.SelfCheckMinServices > 0;

    /// <summary>
    /// Judges the location on one cycle's probes (in process: the whole cycle; fanned out: ProbeTimer's sample). Calls
    /// are serialized, so two verdicts on one instance never interleave.
    /// </summary>
    public async Task<SelfCheckVerdict> AssessAsync(IReadOnlyList<CycleProbe> probes, CancellationToken ct)
    {
        await _judging.WaitAsync(ct);
        try
        {
            return await JudgeAsync(probes, ct);
        }
        finally
        {
            _judging.Release();
        }
    }

    /// <summary>
    /// A queued shard's instance never judges; it only learns which other regions are offline (one range query). When
    /// the read fails it keeps what it knew: the quorum then counts as before, which is no reason to fail the shard.
    /// </summary>
    public async Task RefreshQuorumAsync(CancellationToken ct)
    {
        try
        {
            Exclude(await reader.ReadAllAsync(ct));
        }
        catch (TableStoreException e)
        {
            logger.LogWarning("Offline regions not read ({Reason}); the quorum keeps the last known ones", e.Message);
        }
    }

    private void Exclude(IReadOnlyDictionary<string, LocationState> locations) =>
        _excluded = locations.Values.Where(l => l.Offline && l.Region != monitor.Value.Region).Select(l => l.Region).ToHashSet(StringComparer.Ordinal);

    private async Task<SelfCheckVerdict> JudgeAsync(IReadOnlyList<CycleProbe> probes, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var region = monitor.Value.Region;
        var minServices = options.Value.SelfCheckMinServices;
        var locations = await reader.ReadAllAsync(ct);
        var own = locations.GetValueOrDefault(region) ?? LocationState.Online(region);

        var evidence = OfflineRule.Evaluate(probes);
        var controlResults = OfflineRule.NeedsControlTargets(evidence, own.Offline, minServices) ? await controls.ProbeAsync(ct) : [];
        var offline = OfflineRule.IsOffline(evidence, own.Offline, minServices, controlResults.Select(c => c.Reached));
        var verdict = new SelfCheckVerdict(offline, evidence, controlResults);
        Telemetry.PipelineMetrics.SelfCheckVerdict(region, offline);

        if (LocationStateMachine.Transition(own, offline, now, _lastGood, Describe(verdict)) is { } change)
        {
            await ApplyAsync(change, now, ct);
        }
        else if (offline)
        {
            logger.LogInformation("Monitor still offline in {Region}: {Evidence}; this cycle's results are not recorded", region, Describe(verdict));
        }
        if (!offline && probes.Count > 0)
        {
            _lastGood = now;
        }
        Exclude(locations);
        return verdict;
    }

    /// <summary>The row and its event in one batch; when another instance of this region changed the row first, its verdict stands.</summary>
    private async Task ApplyAsync(LocationChange change, DateTimeOffset now, CancellationToken ct)
    {
        var alert = LocationEvents.Create(change, monitor.Value.Instance, alerts.Value.StatusPageUrl?.AbsoluteUri, now);
        var row = LocationRows.ToEntity(change.Next);
        TableOperation[] batch =
        [
            change.Previous.ETag is null ? TableOperation.Insert(row) : TableOperation.Update(row),
            TableOperation.Insert(OutboxRows.Create(MonitorTables.MonitorPartition, alert, now)),
        ];
        try
        {
            await outbox.SubmitAsync(batch, ct);
        }
        catch (TableStoreException e) when (e.Kind is TableErrorKind.PreconditionFailed or TableErrorKind.Conflict)
        {
            logger.LogInformation("Location {Region} changed under us ({Kind}); the other instance's verdict stands", change.Next.Region, e.Kind);
            return;
        }
        changed.Everything(); // every public answer carries the monitor block (the page's banner)
        if (change.Next.Offline)
        {
            logger.LogWarning("Monitor offline in {Region}: {Evidence}. Results are not recorded until it is back online", change.Next.Region,
                change.Next.Evidence);
        }
        else
        {
            logger.LogInformation("Monitor online again in {Region}: {Evidence}", change.Next.Region, change.Next.Evidence);
        }
        await dispatcher.DispatchAsync([MonitorTables.MonitorPartition], ct);
    }

    private static string Describe(SelfCheckVerdict v) =>
        v.Evidence.Describe() + (v.ControlTargets.Count == 0
            ? ""
            : $"; control targets reached: {v.ControlTargets.Count(c => c.Reached)} of {v.ControlTargets.Count}");
}
