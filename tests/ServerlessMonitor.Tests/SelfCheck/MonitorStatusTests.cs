using ServerlessMonitor.SelfCheck;

namespace ServerlessMonitor.Tests.SelfCheck;

public class MonitorStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 10, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Since = new(2026, 11, 21, 12, 3, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LastGood = new(2026, 11, 21, 12, 2, 0, TimeSpan.Zero);

    [Fact]
    public void Describe_NoLocationOffline_Online()
    {
        var status = MonitorStatus.Describe([LocationState.Online("local"), new LocationState("eu", false, Since, Since, null)], ["local"], LastGood, Now);

        Assert.Same(MonitorStatusDto.Online, status);
        Assert.False(status.StatusesAreStale);
    }

    [Fact]
    public void Describe_TheOnlyRegionOffline_OfflineWithTheSentenceAndWhenStatusesAreFrom()
    {
        var status = MonitorStatus.Describe([new LocationState("local", true, Since, LastGood, null)], ["local"], LastGood, Now);

        Assert.Equal(("offline", "local", Since, LastGood), (status.Status, status.Region, status.Since, status.StatusesFrom));
        Assert.True(status.StatusesAreStale);
        Assert.Equal("Our probes in local cannot reach the internet since 12:03 UTC; statuses are from 12:02 UTC.", status.Message);
    }

    [Fact]
    public void Describe_OfflineBeforeAnythingWasChecked_SaysSo()
    {
        var status = MonitorStatus.Describe([new LocationState("local", true, Since, null, null)], [], null, Now);

        Assert.Equal("Our probes in local cannot reach the internet since 12:03 UTC; no service could be checked yet.", status.Message);
        Assert.Null(status.StatusesFrom);
    }

    [Fact]
    public void Describe_OneOfThreeRegionsOffline_PartialStatusesStayCurrent()
    {
        var status = MonitorStatus.Describe([new LocationState("c", true, Since, LastGood, null)], ["a", "b", "c"], Now, Now);

        Assert.Equal(("partial", "c", (DateTimeOffset?)null), (status.Status, status.Region, status.StatusesFrom));
        Assert.Equal(["c"], status.OfflineRegions);
        Assert.False(status.StatusesAreStale);
        Assert.Equal("Our probes in c cannot reach the internet since 12:03 UTC; statuses come from our other regions (a, b).", status.Message);
    }

    [Fact]
    public void Describe_EveryRegionOffline_OfflineSinceTheFirst_OnAnotherDayWithTheDate()
    {
        var yesterday = Since.AddDays(-1);
        var status = MonitorStatus.Describe(
            [new LocationState("b", true, Since, LastGood, null), new LocationState("a", true, yesterday, yesterday, null)], ["a", "b"], yesterday, Now);

        Assert.Equal(["a", "b"], status.OfflineRegions);
        Assert.Equal("Our probes in a, b cannot reach the internet since 12:03 UTC on Nov 20; statuses are from 12:03 UTC on Nov 20.", status.Message);
    }
}
