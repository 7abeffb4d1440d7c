using ServerlessMonitor.Notifications;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Notifications;

public class ChannelRateLimitTests
{
    [Fact]
    public void TryTake_OverThePerMinuteLimit_WaitsUntilTheOldestSendLeavesTheMinute()
    {
        var clock = new ManualClock();
        var limit = new ChannelRateLimit(3, clock);

        var first = Enumerable.Range(0, 3).Select(_ => { var w = limit.TryTake(); clock.Advance(TimeSpan.FromSeconds(10)); return w; }).ToList();
        var fourth = limit.TryTake();
        clock.Advance(TimeSpan.FromSeconds(30));
        var afterWait = limit.TryTake();

        Assert.All(first, w => Assert.Null(w));
        Assert.Equal(TimeSpan.FromSeconds(30), fourth);
        Assert.Null(afterWait);
    }

    [Theory]
    [InlineData("abcdef", 6, "abcdef")]
    [InlineData("abcdef", 5, "abcd…")]
    [InlineData("ab🚨cd", 4, "ab…")]
    [InlineData("abcdef", 0, "")]
    public void Truncate_AtTheLimit_EndsWithEllipsisAndNeverSplitsAPair(string text, int max, string expected) =>
        Assert.Equal(expected, ChannelText.Truncate(text, max));
}
