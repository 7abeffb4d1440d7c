using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Push;

/// <summary>
/// The probe of a push endpoint: no network call, the clock's judgement (<see cref="PushJudge"/>) of the stored beat,
/// turned into an ordinary response (late / run-time / reported failure as its error kind) that the cycle records
/// like any other, so the state machine, incidents, alerts, rollups and pages apply unchanged.
/// </summary>
internal sealed class PushProber(PushEndpoints endpoints, BeatStore beats, EndpointStates states, IOptions<PushOptions> options,
    IOptions<MonitorOptions> monitor, TimeProvider time) : IProber
{
    private readonly ConcurrentDictionary<string, PushWatch> _watches = new(StringComparer.Ordinal);
    private readonly string _region = monitor.Value.Region;

    public EndpointKind Kind => EndpointKind.Push;

    public async Task<ProbeResponse> ProbeAsync(EndpointDefinition endpoint, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (endpoint.Push is not { } expect || endpoints.ServiceOf(endpoint) is not { } service)
        {
            return new ProbeResponse { Error = $"push endpoint '{endpoint.Id}' is not in the catalog in force", ErrorKind = ErrorKind.Condition };
        }
        var partition = MonitorTables.EndpointPartition(service.Id, endpoint.Id);
        var beat = await beats.ReadAsync(partition, ct);
        var watch = await WatchAsync(partition, endpoint, now, ct);
        var verdict = PushJudge.Judge(expect, beat, watch, now);
        return new ProbeResponse
        {
            Connected = verdict.Failure is null,
            Body = beat?.Message,
            Timings = new ProbeTimings(null, null, null, null, TimeSpan.FromMilliseconds(beat?.DurationMs ?? 0)),
            Error = verdict.Error,
            ErrorKind = verdict.Failure,
        };
    }

    /// <summary>This region's watch of the endpoint, moved on (and stored) when the monitor was away since its last check.</summary>
    private async Task<PushWatch> WatchAsync(string partition, EndpointDefinition endpoint, DateTimeOffset now, CancellationToken ct)
    {
        var stored = _watches.TryGetValue(partition, out var cached) ? cached : await beats.ReadWatchAsync(partition, _region, ct);
        var previousCheck = (await states.GetAsync(partition, ct)).State.LastCheck;
        var allowedGap = TimeSpan.FromTicks(Math.Max(options.Value.MonitorGap.Ticks, 2 * endpoint.Interval.Ticks));
        var next = PushWatch.Next(stored, previousCheck, allowedGap, now);
        if (next != stored)
        {
            await beats.WriteWatchAsync(partition, _region, next, ct);
        }
        _watches[partition] = next;
        return next;
    }
}
