using ServerlessMonitor.Incidents;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Status;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// The record step for one probe: <see cref="EndpointRecorder"/> under the instance's write limit, and a log line when the
/// endpoint's status moved. Writes never hold a probe slot, so the store's latency never slows probing down.
/// </summary>
public sealed class ProbeWriter(EndpointRecorder recorder, ILogger<ProbeWriter> logger)
{
    // Concurrent writes per instance: enough for SQLite to group many probes into one commit and for Table
    // Storage to keep the network busy, few enough not to open a connection per endpoint.
    private const int MaxConcurrentWrites = 64;

    private readonly SemaphoreSlim _writeSlots = new(MaxConcurrentWrites, MaxConcurrentWrites);

    /// <summary>The recorded probe; null when <paramref name="oncePerSlot"/> and its slot was recorded already.</summary>
    public async Task<RecordedProbe?> RecordAsync(ProbedEndpoint probed, bool oncePerSlot, CancellationToken ct)
    {
        var (service, endpoint, observation, inMaintenance) = probed;
        var waiting = CycleProfile.Start();
        await _writeSlots.WaitAsync(ct);
        CycleProfile.Stop(ProfileStep.WriteSlotWait, waiting);
        RecordedProbe? recorded;
        var recording = CycleProfile.Start();
        try
        {
            recorded = await recorder.RecordAsync(service, endpoint, observation, inMaintenance, oncePerSlot, ct);
        }
        finally
        {
            _writeSlots.Release();
            CycleProfile.Stop(ProfileStep.RecordTotal, recording);
        }
        if (recorded is not null && recorded.Previous.Status != recorded.Current.Status)
        {
            // The error may quote the probed body ("[BODY].status (…) == UP"): escaped, so it cannot drive the terminal.
            logger.LogInformation("{Service}/{Endpoint}: {From} -> {To} ({Error})", service.Id, endpoint.Id,
                recorded.Previous.Status.ToWire(), recorded.Current.Status.ToWire(), LogText.Escape(observation.Error ?? "ok"));
        }
        return recorded;
    }
}
