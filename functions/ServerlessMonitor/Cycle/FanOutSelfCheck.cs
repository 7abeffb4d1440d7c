using ServerlessMonitor.Catalog;
using ServerlessMonitor.SelfCheck;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// The self-check of a cycle fanned out on the queue, decided once by ProbeTimer before it queues anything
/// (docs/SELFCHECK.md): one endpoint from each of up to <see cref="SampleServices"/> due services, spread over the
/// catalog, is probed (with its confirmation retry) and judged by <see cref="SelfCheckService"/> like a cycle of its
/// own. Shards never judge the location: offline, nothing is queued; online, the shards record what they probe.
/// One verdict per location per cycle, taken on one instance under the cycle lock, so shards cannot race on it.
/// </summary>
public sealed class FanOutSelfCheck(EndpointProber prober, SelfCheckService selfCheck)
{
    /// <summary>Distinct services sampled: enough unrelated evidence for the rule, few enough to cost nothing.</summary>
    public const int SampleServices = 10;

    /// <summary>The verdict for this cycle; null when the self-check is off or nothing is due.</summary>
    public async Task<SelfCheckVerdict?> JudgeAsync(IReadOnlyList<(ServiceDefinition Service, EndpointDefinition Endpoint)> due, DateTimeOffset slot,
        CancellationToken ct)
    {
        var sample = Sample(due);
        if (!selfCheck.IsEnabled || sample.Count == 0)
        {
            return null;
        }
        var probes = await Task.WhenAll(sample.Select(async item =>
        {
            var observation = await prober.ProbeEndpointAsync(item.Endpoint, slot, ct);
            return CycleProbe.From(item.Service.Id, item.Endpoint.Id, observation);
        }));
        return await selfCheck.AssessAsync(probes, ct);
    }

    /// <summary>The first due endpoint of every n-th due service, so the sample spreads over the whole catalog.</summary>
    internal static IReadOnlyList<(ServiceDefinition Service, EndpointDefinition Endpoint)> Sample(
        IReadOnlyList<(ServiceDefinition Service, EndpointDefinition Endpoint)> due)
    {
        var services = due.GroupBy(d => d.Service.Id, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var step = Math.Max(1, (services.Count + SampleServices - 1) / SampleServices);
        return services.Where((_, i) => i % step == 0).Take(SampleServices).ToList();
    }
}
