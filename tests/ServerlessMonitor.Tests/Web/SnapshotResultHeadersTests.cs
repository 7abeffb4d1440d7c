using ServerlessMonitor.Web;

namespace ServerlessMonitor.Tests.Web;

/// <summary>Accept-Encoding and If-None-Match as HTTP defines them (parsed by ASP.NET's header parsers).</summary>
public class SnapshotResultHeadersTests
{
    [Theory]
    [InlineData("br", "br", true)]
    [InlineData("gzip, br;q=0.5", "br", true)]
    [InlineData("BR", "br", true)]
    [InlineData("br;q=0", "br", false)]
    [InlineData("br; q=0.000", "br", false)]
    [InlineData("*", "br", false)]
    [InlineData("gzip", "br", false)]
    [InlineData("", "gzip", false)]
    public void Accepts_AcceptEncoding_ListedWithoutZeroQuality(string header, string coding, bool expected) =>
        Assert.Equal(expected, SnapshotResult.Accepts(header, coding));

    [Theory]
    [InlineData("\"v1\"", true)]
    [InlineData("W/\"v1\"", true)]
    [InlineData("\"v0\", \"v1\"", true)]
    [InlineData("*", true)]
    [InlineData("\"v2\"", false)]
    [InlineData("", false)]
    [InlineData("v1", false)]
    public void Matches_IfNoneMatch_WeakComparison(string header, bool expected) =>
        Assert.Equal(expected, SnapshotResult.Matches(header, "\"v1\""));
}
