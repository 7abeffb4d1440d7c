using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Telemetry;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// One run of the ProbeTimer function: plans the cycle (which endpoints are due) as shards of
/// Monitor:ShardSize endpoints, then either runs the shards in process from a bounded channel, or — on
/// Azure Functions, when there is more than one — puts them on the probe-shards queue, where ProbeShard
/// instances pick them up and the platform scales them out.
/// </summary>
public sealed class ProbeCycle(CatalogProvider catalog, EndpointStates states, ShardRunner runner, CycleSequence sequence, SelfCheckSettler settler,
    ShardCompletion completions, FanOutSelfCheck fanOutSelfCheck, IOptions<MonitorOptions> options, TimeProvider time, ILogger<ProbeCycle> logger, IShardQueue? queue = null)
{
    private readonly MonitorOptions _options = options.Value;
    private readonly SemaphoreSlim _running = new(1, 1);

    public async Task<ProbeCycleReport> RunAsync(CancellationToken ct)
    {
        using var trace = MonitorTelemetry.StartCycle();
        // Overlapping timer ticks (a cycle slower than the schedule) skip instead of piling up.
        if (!await _running.WaitAsync(0, ct))
        {
            trace.Skipped();
            return ProbeCycleReport.Skipped;
        }
        var now = time.GetUtcNow();
        try
        {
            return await RunCycleAsync(now, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Whatever broke, the lock is released below and the next tick runs; say why this one did not finish.
            logger.LogError(e, "Probe cycle {Slot:O} could not complete: {Reason}; the next tick runs as usual", now, LogText.Escape(e.Message));
            return ProbeCycleReport.Failed(e.Message);
        }
        finally
        {
            _running.Release();
        }
    }

    private async Task<ProbeCycleReport> RunCycleAsync(DateTimeOffset now, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var inForce = catalog.Current;
        var all = inForce.AllEndpoints().ToList();
        var problems = new CycleProblems(logger, now);
        var planning = CycleProfile.Start();
        var due = await DueAsync(all, now, problems, ct);
        CycleProfile.Stop(ProfileStep.Plan, planning);
        var shards = ShardPlanner.Plan(due, now, _options.ShardSize);
        if (queue is not null && shards.Count > 1)
        {
            // One verdict for the location before fanning out; offline, nothing is queued (nothing of it would be recorded).
            var location = await problems.TryAsync("self-check", () => fanOutSelfCheck.JudgeAsync(due, now, ct), ct);
            if (location?.Offline == true)
            {
                logger.LogInformation("Probe cycle {Slot:O}: this location is offline (monitor self-check); no shard queued", now);
                await problems.TryAsync("notify", async () => { await NotifyAsync(ct); return true; }, ct);
                return ProbeCycleReport.From(all.Count, 0, [], time.GetElapsedTime(started), null) with { LocationOffline = true, Problems = problems.All };
            }
            await queue.EnqueueAsync(shards, ct);
            logger.LogInformation("Probe cycle {Slot:O}: {Shards} shards queued", now, shards.Count);
            // Completion rows a late retry left behind after its cycle completed: one range read per queued cycle.
            await problems.TryAsync("sweep", () => completions.SweepAsync(now, ct), ct);
            return ProbeCycleReport.Queued(all.Count, shards.Sum(s => s.Endpoints.Count), shards.Count, time.GetElapsedTime(started))
                with { Problems = problems.All };
        }
        // In process the whole cycle is judged at once: one self-check gate, one publish at the end (CycleSequence).
        var run = await sequence.RunAsync(new SequenceRun(shards, inForce, now, settler.NewGate(), problems) { Settle = true, Notify = true }, ct);
        return ProbeCycleReport.From(all.Count, shards.Sum(s => s.Endpoints.Count), run.Recorded, time.GetElapsedTime(started), run.Delivery)
            with { LocationOffline = run.Verdict?.Offline ?? false, Problems = problems.All };
    }

    /// <summary>Probes one endpoint now, whether due or not (admin "probe now").</summary>
    public Task<RecordedProbe> ProbeNowAsync(ServiceDefinition service, EndpointDefinition endpoint, CancellationToken ct) =>
        runner.ProbeNowAsync(catalog.Current, service, endpoint, time.GetUtcNow(), ct);

    /// <summary>Tells the listeners (the read snapshot) that a cycle's results are all recorded.</summary>
    public Task NotifyAsync(CancellationToken ct) => sequence.NotifyAsync(ct);

    private async Task<List<(ServiceDefinition, EndpointDefinition)>> DueAsync(List<(ServiceDefinition Service, EndpointDefinition Endpoint)> all,
        DateTimeOffset now, CycleProblems problems, CancellationToken ct)
    {
        // Cold start of a big catalog: read the state rows side by side, not one after the other.
        await states.LoadAsync(all.Select(e => MonitorTables.EndpointPartition(e.Service.Id, e.Endpoint.Id)), _options.MaxConcurrency, ct);
        var due = new List<(ServiceDefinition, EndpointDefinition)>(all.Count);
        var unread = 0;
        foreach (var (service, endpoint) in all)
        {
            DateTimeOffset? lastCheck;
            try
            {
                lastCheck = (await states.GetAsync(MonitorTables.EndpointPartition(service.Id, endpoint.Id), ct)).State.LastCheck;
            }
            catch (TableStoreException)
            {
                // Probed anyway: recording reads the row again and counts each slot once, so this never records twice.
                unread++;
                lastCheck = null;
            }
            if (IsDue(lastCheck, endpoint.Interval, now))
            {
                due.Add((service, endpoint));
            }
        }
        if (unread > 0)
        {
            problems.Add("planning", $"{unread} state rows could not be read; those endpoints are probed as due");
        }
        return due;
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

/// <summary>Told when a probe cycle's results are all recorded (in process: after the cycle; sharded: after its last shard).</summary>
public interface ICycleListener
{
    Task CycleCompletedAsync(CancellationToken ct);
}
