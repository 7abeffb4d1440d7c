using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Probing;

/// <summary>One implementation per endpoint kind. Never throws for a failed target: failures are responses.</summary>
public interface IProber
{
    EndpointKind Kind { get; }

    /// <summary>Probes once, within <see cref="EndpointDefinition.Timeout"/>; cancellation of <paramref name="ct"/> aborts.</summary>
    Task<ProbeResponse> ProbeAsync(EndpointDefinition endpoint, CancellationToken ct);
}
