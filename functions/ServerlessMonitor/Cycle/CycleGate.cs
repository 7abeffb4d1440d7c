using ServerlessMonitor.Probing;
using ServerlessMonitor.SelfCheck;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// Holds back the failures that could be the monitor's own fault until the self-check has judged them.
/// The self-check can only find the location offline when nothing at all answered (docs/SELFCHECK.md), so a
/// result that answered — and every result after it — is recorded at once, while network-level failures wait
/// only as long as nothing has answered yet. A healthy cycle therefore defers almost nothing; a cycle in which
/// nothing answers defers everything, and the verdict at its end decides whether those failures are recorded.
/// One gate covers one judged set of probes: the whole cycle in process, one shard on the queue.
/// </summary>
public sealed class CycleGate(bool selfCheckOn)
{
    private readonly Lock _lock = new();
    private readonly List<CycleProbe> _probes = [];
    private List<ProbedEndpoint> _held = [];
    private bool _open = !selfCheckOn;

    /// <summary>Every probe the gate saw, for the verdict.</summary>
    public IReadOnlyList<CycleProbe> Probes
    {
        get
        {
            lock (_lock)
            {
                return [.. _probes];
            }
        }
    }

    /// <summary>
    /// The probes to record now: none while the probe is held back, the probe itself once anything answered,
    /// and — when this probe is the first answer — the ones held back before it as well.
    /// </summary>
    public IReadOnlyList<ProbedEndpoint> Admit(ProbedEndpoint probed)
    {
        if (probed.Endpoint.Kind == Catalog.EndpointKind.Push)
        {
            // Judged by the clock, not over the network: says nothing about this location, is never held back.
            return [probed];
        }
        var probe = CycleProbe.From(probed.Service.Id, probed.Endpoint.Id, probed.Observation);
        lock (_lock)
        {
            _probes.Add(probe);
            if (_open)
            {
                return [probed];
            }
            if (!OfflineRule.Answered(probe))
            {
                _held.Add(probed);
                return [];
            }
            _open = true;
            var released = _held;
            _held = [];
            released.Add(probed);
            return released;
        }
    }

    /// <summary>The probes still held back at the end; the verdict decides whether they are recorded.</summary>
    public IReadOnlyList<ProbedEndpoint> TakeHeld()
    {
        lock (_lock)
        {
            var held = _held;
            _held = [];
            return held;
        }
    }
}

/// <summary>One endpoint's judged probe, between probing and recording.</summary>
public sealed record ProbedEndpoint(Catalog.ServiceDefinition Service, Catalog.EndpointDefinition Endpoint, Observation Observation, bool InMaintenance);
