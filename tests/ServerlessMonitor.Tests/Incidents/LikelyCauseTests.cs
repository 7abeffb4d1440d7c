using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Probing;

namespace ServerlessMonitor.Tests.Incidents;

public class LikelyCauseTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, ProbeResponse, string[], double?, bool, string, string> Cases => new()
    {
        { "dns", new() { ErrorKind = ErrorKind.Dns, Error = "x.invalid does not exist (NXDOMAIN)" }, [], null, false, LikelyCause.Dns, "NXDOMAIN" },
        { "refused", new() { ErrorKind = ErrorKind.Refused, Error = "connection refused by 127.0.0.1:81" }, [], null, false, LikelyCause.Network, "refused" },
        { "reset", new() { ErrorKind = ErrorKind.Network, Error = "connection reset" }, [], null, false, LikelyCause.Network, "reset" },
        { "tls", new() { ErrorKind = ErrorKind.Tls, Error = "certificate is not trusted" }, [], null, false, LikelyCause.Tls, "not trusted" },
        { "timeout", new() { ErrorKind = ErrorKind.Timeout, Error = "did not answer within 10 s" }, [], null, false, LikelyCause.Overload, "within 10 s" },
        { "429", new() { Connected = true, StatusCode = 429 }, ["[STATUS] == 200"], null, false, LikelyCause.Overload, "429" },
        { "503", new() { Connected = true, StatusCode = 503 }, ["[STATUS] == 200"], null, false, LikelyCause.Overload, "503" },
        { "503+retry-after", new() { Connected = true, StatusCode = 503, RetryAfter = TimeSpan.FromMinutes(2) }, ["[STATUS] == 200"], null, false, LikelyCause.Maintenance, "Retry-After: 120" },
        { "500", new() { Connected = true, StatusCode = 500 }, ["[STATUS] == 200"], null, false, LikelyCause.ServerError, "HTTP 500" },
        { "502", new() { Connected = true, StatusCode = 502 }, ["[STATUS] < 500"], null, false, LikelyCause.ServerError, "HTTP 502" },
        { "window", new() { Connected = true, StatusCode = 500 }, ["[STATUS] == 200"], null, true, LikelyCause.Maintenance, "maintenance window" },
        { "content", new() { Connected = true, StatusCode = 200, Body = """{"status":"DOWN"}""" }, ["[BODY].status == UP"], null, false, LikelyCause.Content, "[BODY].status (DOWN) == UP" },
        { "404", new() { Connected = true, StatusCode = 404 }, ["[STATUS] == 200"], null, false, LikelyCause.Content, "(404)" },
        { "cert expiring", new() { Connected = true, CertificateExpiry = Now.AddHours(10) }, ["[CERTIFICATE_EXPIRATION] > 48h"], null, false, LikelyCause.Tls, "CERTIFICATE_EXPIRATION" },
        { "slow vs baseline", Slow(2500), ["[RESPONSE_TIME] < 2000"], 200.0, false, LikelyCause.Overload, "12.5× the usual 200 ms" },
        { "slow, no baseline", Slow(2500), ["[RESPONSE_TIME] < 2000"], null, false, LikelyCause.Content, "[RESPONSE_TIME] (2500) < 2000" },
        { "slow within baseline", Slow(2500), ["[RESPONSE_TIME] < 2000"], 1000.0, false, LikelyCause.Content, "[RESPONSE_TIME]" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Analyze_Evidence_PointsToCause(string scenario, ProbeResponse response, string[] conditions, double? baselineMs, bool inMaintenance,
        string expectedCause, string expectedEvidence)
    {
        var endpoint = new EndpointDefinition
        {
            Id = "web",
            Kind = EndpointKind.Http,
            Url = new Uri("http://127.0.0.1/"),
            Conditions = conditions.Select(c => Condition.TryParse(c, out var parsed, out _) ? parsed : throw new InvalidOperationException(c)).ToList(),
        };
        var observation = ObservationJudge.Judge(endpoint, response, Now);

        var finding = LikelyCause.Analyze(observation, baselineMs, inMaintenance);

        Assert.True(expectedCause == finding.Cause, $"{scenario}: expected {expectedCause}, got {finding.Cause} ({finding.Evidence})");
        Assert.Contains(expectedEvidence, finding.Evidence);
    }

    [Fact]
    public void UpdateBaseline_GoodProbes_MovesTowardsTheirResponseTime()
    {
        var endpoint = new EndpointDefinition { Id = "web", Kind = EndpointKind.Http, Url = new Uri("http://127.0.0.1/") };
        double? baseline = null;
        var samples = 0;
        for (var i = 0; i < 30; i++)
        {
            (baseline, samples) = LikelyCause.UpdateBaseline(baseline, samples, ObservationJudge.Judge(endpoint, Slow(i < 10 ? 100 : 300) with { StatusCode = 200 }, Now));
        }

        Assert.Equal(30, samples);
        Assert.InRange(baseline!.Value, 250, 300);
        Assert.Null(LikelyCause.UsableBaseline(baseline, 9));
        Assert.Equal(baseline, LikelyCause.UsableBaseline(baseline, 10));
    }

    private static ProbeResponse Slow(int ms) => new()
    {
        Connected = true,
        StatusCode = 200,
        Timings = new ProbeTimings(null, null, null, null, TimeSpan.FromMilliseconds(ms)),
    };
}
