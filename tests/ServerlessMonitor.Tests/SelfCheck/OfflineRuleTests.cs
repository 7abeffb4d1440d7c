using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using ServerlessMonitor.SelfCheck;

namespace ServerlessMonitor.Tests.SelfCheck;

public class OfflineRuleTests
{
    // The shipped catalog's shape: five services, several endpoints each.
    private const string FiveDefaultServicesDns =
        "tiktok.web=dns tiktok.robots=dns tiktok.dns=dns instagram.web=dns instagram.api=dns instagram.dns=dns "
        + "facebook.web=dns facebook.graph-api=dns facebook.dns=dns x.web=dns x.api=dns x.cdn=dns x.dns=dns "
        + "youtube.web=dns youtube.api=dns youtube.thumbnails=dns youtube.dns=dns";

    /// <summary>
    /// Probes as "service.endpoint=result" (up, degraded or an error kind: dns, refused, timeout, tls, network,
    /// http-status, condition, redirects); control targets as "ok"/"fail" per configured target ("" = none).
    /// </summary>
    [Theory]
    [InlineData("all five default services fail with dns, no control targets", FiveDefaultServicesDns, "", 3, true)]
    [InlineData("same, a control target answers: a shared outage, reported", FiveDefaultServicesDns, "ok", 3, false)]
    [InlineData("same, one of two control targets answers", FiveDefaultServicesDns, "fail,ok", 3, false)]
    [InlineData("same, the control target fails too", FiveDefaultServicesDns, "fail", 3, true)]
    [InlineData("same, every control target fails", FiveDefaultServicesDns, "fail,fail", 3, true)]
    [InlineData("two services only", "tiktok.web=dns tiktok.dns=dns instagram.web=dns", "", 3, false)]
    [InlineData("two services only, even with failing control targets", "tiktok.web=dns instagram.web=dns", "fail", 3, false)]
    [InlineData("every service answers HTTP 500: an answer proves connectivity", "a.web=http-status b.web=http-status c.web=http-status d.web=http-status e.web=http-status", "", 3, false)]
    [InlineData("one service answering", "a.web=dns b.web=dns c.web=dns d.web=dns e.web=up", "", 3, false)]
    [InlineData("one endpoint of one service answering", "a.web=dns a.api=condition b.web=dns c.web=dns d.web=dns", "", 3, false)]
    [InlineData("a refused redirect is an answer", "a.web=dns b.web=dns c.web=redirects", "", 3, false)]
    [InlineData("a degraded answer is an answer", "a.web=timeout b.web=timeout c.web=degraded", "", 3, false)]
    [InlineData("mixed timeout, refused, dns", "a.web=timeout a.dns=dns b.web=refused c.web=dns c.api=timeout", "", 3, true)]
    [InlineData("tls and network errors are network-level", "a.web=tls b.web=network c.tls=tls", "", 3, true)]
    [InlineData("exactly the minimum", "a.web=refused b.web=refused c.web=refused", "", 3, true)]
    [InlineData("a larger minimum", "a.web=refused b.web=refused c.web=refused", "", 4, false)]
    [InlineData("self-check off", FiveDefaultServicesDns, "", 0, false)]
    [InlineData("one service with a failing control target, minimum 1", "a.web=dns", "fail", 1, true)]
    [InlineData("nothing probed", "", "", 3, false)]
    public void IsOffline_Online_CycleObservations(string because, string probes, string controls, int minServices, bool expected)
    {
        var evidence = OfflineRule.Evaluate(Probes(probes));

        var offline = OfflineRule.IsOffline(evidence, wasOffline: false, minServices, Controls(controls));

        Assert.True(expected == offline, because);
    }

    /// <summary>Once offline, any probe is evidence: a cycle probing fewer services must not count failures against them.</summary>
    [Theory]
    [InlineData("one service still unreachable", "a.web=dns", "", true)]
    [InlineData("one service still unreachable, control target too", "a.web=dns", "fail", true)]
    [InlineData("nothing probed this cycle", "", "", true)]
    [InlineData("nothing probed, control targets are not asked", "", "ok", true)]
    [InlineData("one answer", "a.web=dns b.web=up", "", false)]
    [InlineData("an HTTP 503 is an answer", "a.web=http-status", "", false)]
    [InlineData("a control target answers", "a.web=dns b.web=dns c.web=dns", "ok", false)]
    public void IsOffline_WasOffline_StaysUntilSomethingAnswers(string because, string probes, string controls, bool expected)
    {
        var evidence = OfflineRule.Evaluate(Probes(probes));

        var offline = OfflineRule.IsOffline(evidence, wasOffline: true, minServices: 3, Controls(controls));

        Assert.True(expected == offline, because);
    }

    [Theory]
    [InlineData(FiveDefaultServicesDns, false, true)]
    [InlineData("a.web=up b.web=up c.web=up", false, false)]
    [InlineData("a.web=dns b.web=dns c.web=up", false, false)]
    [InlineData("a.web=dns b.web=dns", false, false)]
    [InlineData("a.web=dns", true, true)]
    [InlineData("", true, false)]
    public void NeedsControlTargets_OnlyWhenTheProbesAlonePointAtTheLocation(string probes, bool wasOffline, bool expected)
    {
        Assert.Equal(expected, OfflineRule.NeedsControlTargets(OfflineRule.Evaluate(Probes(probes)), wasOffline, minServices: 3));
    }

    [Fact]
    public void Evaluate_MixedKinds_CountsServicesAndDescribesTheErrors()
    {
        var evidence = OfflineRule.Evaluate(Probes("a.web=dns a.dns=dns b.web=refused c.web=timeout c.api=dns"));

        Assert.Equal((3, 3, 0), (evidence.Services, evidence.CutOffServices, evidence.AnsweredServices));
        Assert.Equal("3 of 3 services unreachable at network level (dns 3, refused 1, timeout 1)", evidence.Describe());
    }

    internal static IReadOnlyList<CycleProbe> Probes(string spec) => spec.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p =>
    {
        var (target, result) = (p.Split('=')[0], p.Split('=')[1]);
        var (service, endpoint) = (target.Split('.')[0], target.Split('.')[1]);
        return result switch
        {
            "up" => new CycleProbe(service, endpoint, ProbeOutcome.Up, null),
            "degraded" => new CycleProbe(service, endpoint, ProbeOutcome.Degraded, null),
            _ => new CycleProbe(service, endpoint, ProbeOutcome.Down, Kind(result)),
        };
    }).ToList();

    private static ErrorKind Kind(string wire) => wire == "http-status" ? ErrorKind.HttpStatus : Enum.Parse<ErrorKind>(wire, ignoreCase: true);

    private static IEnumerable<bool> Controls(string spec) => spec.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => c == "ok");
}
