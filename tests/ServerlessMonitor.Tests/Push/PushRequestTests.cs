using Microsoft.AspNetCore.Http;
using ServerlessMonitor.Push;

namespace ServerlessMonitor.Tests.Push;

/// <summary>How requests to /api/push/{token}[/{signal}] read: Uptime Kuma's query, Healthchecks.io's paths.</summary>
public class PushRequestTests
{
    [Theory]
    [InlineData(null, "", BeatSignal.Success, null)]
    [InlineData(null, "?status=up&msg=OK&ping=12.5", BeatSignal.Success, null)]
    [InlineData(null, "?status=down&msg=disk%20full", BeatSignal.Failure, null)]
    [InlineData("start", "", BeatSignal.Start, null)]
    [InlineData("fail", "", BeatSignal.Failure, null)]
    [InlineData("0", "", BeatSignal.Success, 0)]
    [InlineData("1", "", BeatSignal.Failure, 1)]
    [InlineData("255", "", BeatSignal.Failure, 255)]
    public void Parse_KnownForms_Signal(string? signal, string query, BeatSignal expected, int? exitCode)
    {
        var (beat, problem, _) = PushRequest.Parse(signal, QueryHelpers(query), null);

        Assert.Null(problem);
        Assert.Equal((expected, exitCode), (beat!.Signal, beat.ExitCode));
    }

    [Fact]
    public void Parse_KumaQuery_MessageAndPing()
    {
        var (beat, _, _) = PushRequest.Parse(null, QueryHelpers("?status=up&msg=OK&ping=12.5"), null);

        Assert.Equal(("OK", 12L), (beat!.Message, beat.PingMs));
    }

    [Fact]
    public void Parse_Body_IsTheMessage()
    {
        var (beat, _, _) = PushRequest.Parse("fail", QueryHelpers("?msg=ignored"), "stack trace");

        Assert.Equal("stack trace", beat!.Message);
    }

    [Theory]
    [InlineData("256", "", "signal")]
    [InlineData("-1", "", "signal")]
    [InlineData("finish", "", "signal")]
    [InlineData(null, "?status=pending", "status")]
    [InlineData(null, "?ping=fast", "ping")]
    public void Parse_BadForms_NameThePart(string? signal, string query, string field)
    {
        var (beat, problem, named) = PushRequest.Parse(signal, QueryHelpers(query), null);

        Assert.Null(beat);
        Assert.NotNull(problem);
        Assert.Equal(field, named);
    }

    private static QueryCollection QueryHelpers(string query) => new(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query));
}
