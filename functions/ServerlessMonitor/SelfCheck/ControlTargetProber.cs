using Microsoft.Extensions.Options;
using ServerlessMonitor.Probing;

namespace ServerlessMonitor.SelfCheck;

/// <summary>Whether one control target answered, and why not.</summary>
public sealed record ControlResult(string Target, bool Reached, string? Error);

/// <summary>
/// Probes the control targets, all at once, with the same probers (and connection pools) as the catalog.
/// One attempt each: the services' failures were already confirmed, a control target only cross-checks them.
/// </summary>
public sealed class ControlTargetProber(IEnumerable<IProber> probers, IOptions<SelfCheckOptions> options)
{
    private readonly Dictionary<Catalog.EndpointKind, IProber> _probers = probers.ToDictionary(p => p.Kind);

    public async Task<IReadOnlyList<ControlResult>> ProbeAsync(CancellationToken ct) =>
        await Task.WhenAll(options.Value.Targets.Select(async t =>
        {
            var response = await _probers[t.Endpoint.Kind].ProbeAsync(t.Endpoint, ct);
            return new ControlResult(t.Text, response.ErrorKind is null, response.Error);
        }));
}
