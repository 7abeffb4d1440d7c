using Microsoft.Extensions.Options;
using ServerlessMonitor.Api;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Push;

/// <summary>What a beat request came to.</summary>
public enum BeatOutcome
{
    Recorded,
    UnknownToken,
    TooManyBeats,
}

/// <summary>
/// Takes one beat: finds the endpoint by the token's hash, holds the token to its rate, stores the beat durably
/// (newest wins), and judges the endpoint at once when the beat can change its status (a failure, or the first
/// beat after one) — so "fail" fails and recovery recovers without waiting for the next cycle. Steady beats only
/// write their row; the cycle judges them. Neither the token nor the message is ever logged.
/// </summary>
internal sealed class PushReceiver(PushTokens tokens, BeatStore beats, EndpointStates states, ProbeCycle cycle, IOptions<PushOptions> options,
    TimeProvider time, ILogger<PushReceiver> logger) : IDisposable
{
    private readonly AddressRateLimiter _limiter = new(() => (options.Value.BeatsPerMinute, TimeSpan.FromMinutes(1)));

    public async Task<(BeatOutcome Outcome, TimeSpan RetryAfter)> ReceiveAsync(string token, IncomingBeat beat, CancellationToken ct)
    {
        if (await tokens.FindAsync(token, ct) is not var (service, endpoint, hash))
        {
            return (BeatOutcome.UnknownToken, TimeSpan.Zero);
        }
        if (_limiter.TryAcquire(hash) is { } wait)
        {
            return (BeatOutcome.TooManyBeats, wait);
        }
        var incoming = beat with { At = time.GetUtcNow() };
        var partition = MonitorTables.EndpointPartition(service.Id, endpoint.Id);
        await beats.RecordAsync(partition, incoming, ct);
        if (incoming.Signal != BeatSignal.Start && (incoming.Signal == BeatSignal.Failure || !await IsUpAsync(partition, ct)))
        {
            await JudgeNowAsync(service, endpoint, ct);
        }
        return (BeatOutcome.Recorded, TimeSpan.Zero);
    }

    private async Task<bool> IsUpAsync(string partition, CancellationToken ct) =>
        (await states.GetAsync(partition, ct)).State.Status is HealthStatus.Up;

    private async Task JudgeNowAsync(ServiceDefinition service, EndpointDefinition endpoint, CancellationToken ct)
    {
        var recorded = await cycle.ProbeNowAsync(service, endpoint, ct);
        if (recorded.Previous.Status != recorded.Current.Status)
        {
            logger.LogInformation("Push endpoint {Service}/{Endpoint} judged on its beat: {Status}", service.Id, endpoint.Id, recorded.Current.Status.ToWire());
            await cycle.NotifyAsync(ct);
        }
    }

    public void Dispose() => _limiter.Dispose();
}
