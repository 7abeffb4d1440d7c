using OutageLab;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using static ServerlessMonitor.Tests.Probing.ProbeTestData;

namespace ServerlessMonitor.Tests.Probing;

/// <summary>The body is read only as far as the endpoint's conditions need it, and kept only as a failure's excerpt.</summary>
public sealed class HttpProberBodyNeedTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private readonly OutageLabServer lab = fixture.Lab;

    [Theory]
    [InlineData("[STATUS] == 200")]
    [InlineData("[RESPONSE_TIME] < 60000")]
    [InlineData("[CONNECTED] == true")]
    [InlineData("[IP] == 127.0.0.1")]
    [InlineData("[CERTIFICATE_EXPIRATION] == 0")]
    public async Task ProbeAsync_NoConditionReadsBody_AnswersAtHeadersWithoutBody(string condition)
    {
        using var prober = HttpProber();
        // 50 bytes, one per second: reading it would outlast the 5 s timeout by far.
        var endpoint = Http(lab.Http("/drip?ms=1000"), condition) with { Timeout = TimeSpan.FromSeconds(5) };

        var response = await prober.ProbeAsync(endpoint, CancellationToken.None);

        Assert.Null(response.ErrorKind);
        Assert.Equal(200, response.StatusCode);
        Assert.Null(response.Body);
        Assert.True(ObservationJudge.Judge(endpoint, response, DateTimeOffset.UnixEpoch).Outcome == ProbeOutcome.Up, response.Error);
    }

    [Theory]
    [InlineData("[BODY] == pat(*x*)")]
    [InlineData("len([BODY]) > 0")]
    [InlineData("has([BODY].status) == false")]
    public async Task ProbeAsync_DegradedRuleReadsBody_BodyRead(string degradedWhen)
    {
        using var prober = HttpProber();
        var endpoint = Http(lab.Http("/big?bytes=3000"), "[STATUS] == 200") with { DegradedWhen = [Parse(degradedWhen)] };

        var response = await prober.ProbeAsync(endpoint, CancellationToken.None);

        Assert.Equal(3000, response.Body?.Length);
    }

    [Fact]
    public async Task ProbeAsync_BodyOverKeep_ExcerptIsFirstKeepBytes()
    {
        using var prober = HttpProber(keepBodyBytes: 100);

        var response = await prober.ProbeAsync(Http(lab.Http("/big?bytes=400000")), CancellationToken.None);

        Assert.Equal(400_000, response.Body!.Length);
        Assert.Equal(new string('x', 100), response.BodyExcerpt);
    }
}
