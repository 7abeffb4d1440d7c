using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;

namespace ServerlessMonitor.SelfCheck;

/// <summary>One endpoint's judged probe in a cycle, as the self-check sees it.</summary>
public sealed record CycleProbe(string Service, string Endpoint, ProbeOutcome Outcome, ErrorKind? ErrorKind)
{
    public static CycleProbe From(string service, string endpoint, Observation observation) =>
        new(service, endpoint, observation.Outcome, observation.ErrorKind);
}

/// <summary>What one cycle's probes say about the probing location, counted per service.</summary>
public sealed record CycleEvidence(int Services, int CutOffServices, IReadOnlyDictionary<ErrorKind, int> NetworkErrors)
{
    /// <summary>Services with at least one endpoint that answered (or worked): proof that this location is connected.</summary>
    public int AnsweredServices => Services - CutOffServices;

    /// <summary>"5 of 5 services unreachable at network level (dns 12, refused 3)", for logs and event data (network-level kinds are one word each).</summary>
    public string Describe() =>
        $"{CutOffServices} of {Services} services unreachable at network level"
        + (NetworkErrors.Count == 0 ? "" : $" ({string.Join(", ", NetworkErrors.OrderByDescending(k => k.Value).ThenBy(k => k.Key).Select(k => $"{k.Key.ToString().ToLowerInvariant()} {k.Value}"))})");
}

/// <summary>
/// The monitor self-check rule (docs/SELFCHECK.md), pure. A probing location is <c>offline</c> after a cycle when
/// <list type="number">
/// <item>the cycle probed at least <c>minServices</c> distinct services (only to enter offline; once offline, any
///   probe is evidence, so a cycle that happens to probe fewer services cannot count failures against them);</item>
/// <item>not one probed endpoint of any of them got an answer: every probe failed with a network-level error kind
///   (dns, refused, timeout, tls, network). An HTTP status, a failed content condition or a redirect is an
///   answer, and an answer proves connectivity;</item>
/// <item>and every configured control target failed too (none configured: this clause holds). One control target
///   reached means the internet is reachable from here: the services share an outage, which is reported as such.</item>
/// </list>
/// A cycle that probed nothing changes nothing. <c>minServices</c> 0 turns the self-check off.
/// </summary>
public static class OfflineRule
{
    /// <summary>Failures that happen before any peer answered: they cannot tell a dead target from a dead network.</summary>
    public static bool IsNetworkLevel(ErrorKind? kind) =>
        kind is ErrorKind.Dns or ErrorKind.Refused or ErrorKind.Timeout or ErrorKind.Tls or ErrorKind.Network;

    public static bool Answered(CycleProbe probe) => probe.Outcome != ProbeOutcome.Down || !IsNetworkLevel(probe.ErrorKind);

    public static CycleEvidence Evaluate(IReadOnlyList<CycleProbe> probes)
    {
        var services = probes.GroupBy(p => p.Service, StringComparer.Ordinal).ToList();
        var cutOff = services.Count(s => !s.Any(Answered));
        var kinds = probes.Where(p => !Answered(p)).GroupBy(p => p.ErrorKind!.Value).ToDictionary(g => g.Key, g => g.Count());
        return new CycleEvidence(services.Count, cutOff, kinds);
    }

    /// <summary>Do the probes alone point at the location? Only then are the control targets probed: a healthy cycle costs nothing.</summary>
    public static bool NeedsControlTargets(CycleEvidence evidence, bool wasOffline, int minServices) =>
        minServices > 0
        && evidence.Services > 0
        && evidence.AnsweredServices == 0
        && (wasOffline || evidence.Services >= minServices);

    /// <param name="controlTargetsReached">One entry per configured control target (empty: none configured); ignored when not needed.</param>
    public static bool IsOffline(CycleEvidence evidence, bool wasOffline, int minServices, IEnumerable<bool> controlTargetsReached)
    {
        if (minServices <= 0)
        {
            return false;
        }
        if (evidence.Services == 0)
        {
            return wasOffline; // nothing probed, nothing learnt
        }
        return NeedsControlTargets(evidence, wasOffline, minServices) && !controlTargetsReached.Any(reached => reached);
    }
}
