using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using static ServerlessMonitor.Tests.Probing.ProbeTestData;

namespace ServerlessMonitor.Tests.Probing;

/// <summary>A judged observation never carries the body it was judged on: recorded probes must not hold 1 MiB each until the cycle ends.</summary>
public sealed class ObservationJudgeBodyTests
{
    private static readonly string Page = "<html>" + new string('x', 400_000) + "</html>";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Judge_UpOnLargeBody_KeepsNoBody()
    {
        var endpoint = Http(new Uri("http://127.0.0.1/"), "[BODY] == pat(*</html>*)");

        var observation = ObservationJudge.Judge(endpoint, PageResponse(), Now);

        Assert.Equal(ProbeOutcome.Up, observation.Outcome);
        Assert.Null(observation.Response.Body);
        Assert.Null(observation.Response.BodyExcerpt);
    }

    [Theory]
    [InlineData("[BODY] == pat(*maintenance*)", ProbeOutcome.Down)]
    [InlineData("[STATUS] == 200", ProbeOutcome.Degraded)]
    public void Judge_FailedOnLargeBody_KeepsOnlyExcerpt(string condition, ProbeOutcome expected)
    {
        var endpoint = Http(new Uri("http://127.0.0.1/"), condition) with { DegradedWhen = [Parse("len([BODY]) > 1000")] };

        var observation = ObservationJudge.Judge(endpoint, PageResponse(), Now);

        Assert.Equal(expected, observation.Outcome);
        Assert.Null(observation.Response.Body);
        Assert.Equal(Page[..1024], observation.Response.BodyExcerpt);
    }

    [Fact]
    public void Judge_BodyCondition_JudgedOnWholeBodyBeforeDropping()
    {
        var endpoint = Http(new Uri("http://127.0.0.1/"), "len([BODY]) == 400013");

        var observation = ObservationJudge.Judge(endpoint, PageResponse(), Now);

        Assert.Equal(ProbeOutcome.Up, observation.Outcome);
    }

    private static ProbeResponse PageResponse() =>
        new() { Connected = true, StatusCode = 200, Body = Page, BodyExcerpt = Page[..1024] };
}
