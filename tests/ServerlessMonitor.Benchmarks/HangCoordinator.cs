using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// Fires the virtual probe timeouts of <see cref="SignalClock"/> at the one safe moment: when every probe
/// attempt in flight is hanging in the lab. Attempts are counted by <see cref="CountingProber"/> around the
/// real probers; hangs are reported by the lab as they start. Firing and starting an attempt are serialised,
/// so a timer created after the check is never fired by it. Hangs counted before a firing are spent by it.
/// </summary>
internal sealed class HangCoordinator(SignalClock clock)
{
    private readonly object gate = new();
    private int inFlight;
    private int hanging;

    public int Fired { get; private set; }

    public void AttemptStarted()
    {
        lock (gate)
        {
            inFlight++;
        }
    }

    public void AttemptEnded()
    {
        lock (gate)
        {
            inFlight--;
        }
        TryFire();
    }

    public void HangStarted()
    {
        lock (gate)
        {
            hanging++;
        }
        TryFire();
    }

    private void TryFire()
    {
        IReadOnlyList<Action> due;
        lock (gate)
        {
            if (inFlight == 0 || hanging < inFlight)
            {
                return;
            }
            hanging = 0;
            Fired++;
            due = clock.TakeDue();
        }
        foreach (var fire in due)
        {
            ThreadPool.QueueUserWorkItem(_ => fire());
        }
    }
}

/// <summary>
/// The real prober of a kind, with its attempts counted for the <see cref="HangCoordinator"/> and what they
/// saw tallied (so a run shows the loss and the mix of faults the engine actually met).
/// </summary>
internal sealed class CountingProber(IProber inner, HangCoordinator hangs, System.Collections.Concurrent.ConcurrentDictionary<string, int> seen) : IProber
{
    public EndpointKind Kind => inner.Kind;

    public async Task<ProbeResponse> ProbeAsync(EndpointDefinition endpoint, CancellationToken ct)
    {
        hangs.AttemptStarted();
        try
        {
            var response = await inner.ProbeAsync(endpoint, ct);
            var what = response.ErrorKind is { } kind ? kind.ToString().ToLowerInvariant() : response.StatusCode is >= 500 ? "5xx" : "ok";
            seen.AddOrUpdate(what, 1, (_, n) => n + 1);
            return response;
        }
        finally
        {
            hangs.AttemptEnded();
        }
    }
}
