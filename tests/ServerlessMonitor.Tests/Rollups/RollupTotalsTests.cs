using ServerlessMonitor.Probing;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Status;

namespace ServerlessMonitor.Tests.Rollups;

public class RollupTotalsTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(49, 0)]
    [InlineData(50, 1)]
    [InlineData(420, 4)]
    [InlineData(9999, 11)]
    [InlineData(10000, 12)]
    [InlineData(600000, 12)]
    public void BucketOf_Latency_FallsInItsBucket(long ms, int bucket) => Assert.Equal(bucket, RollupTotals.BucketOf(ms));

    [Fact]
    public void Record_Outcomes_CountUptimeLeavingMaintenanceOut()
    {
        var t = RollupTotals.Empty;
        for (var i = 0; i < 97; i++)
        {
            t = t.Record(ProbeOutcome.Up, false, 100, true);
        }
        t = t.Record(ProbeOutcome.Degraded, false, 2000, true)
            .Record(ProbeOutcome.Down, false, 0, false)
            .Record(ProbeOutcome.Down, false, 5000, true)
            .Record(ProbeOutcome.Down, true, 0, false);

        Assert.Equal((97, 1, 2, 1), (t.Up, t.Degraded, t.Down, t.Maintenance));
        Assert.Equal(0.98, t.Uptime!.Value, 6);
        Assert.Equal(99, t.LatencyCount);
        Assert.Equal((97 * 100 + 2000 + 5000) / 99.0, t.AverageMs!.Value, 6);
    }

    [Fact]
    public void Percentile_UniformLatencies_InterpolatesWithinBuckets()
    {
        var t = RollupTotals.Empty;
        for (var ms = 0; ms < 1000; ms++)
        {
            t = t.Record(ProbeOutcome.Up, false, ms, true);
        }

        Assert.InRange(t.Percentile(50)!.Value, 450, 550);
        Assert.InRange(t.Percentile(95)!.Value, 900, 1000);
        Assert.Null(RollupTotals.Empty.Percentile(50));
        Assert.Null(RollupTotals.Empty.Uptime);
    }

    [Fact]
    public void Add_TwoRegions_SumsEverything()
    {
        var eu = RollupTotals.Empty.Record(ProbeOutcome.Up, false, 120, true);
        var us = RollupTotals.Empty.Record(ProbeOutcome.Down, false, 0, false);

        var both = eu.Add(us);

        Assert.Equal((1, 1, 0.5), (both.Up, both.Down, both.Uptime!.Value));
        Assert.Equal(1, both.Histogram[RollupTotals.BucketOf(120)]);
    }

    [Fact]
    public void RollupKeys_HourAndDayRanges_SelectExactlyTheirRows()
    {
        var t = new DateTimeOffset(2026, 11, 21, 13, 30, 0, TimeSpan.Zero);

        Assert.Equal("rollup-h-2026112113-eu", RollupKeys.Hourly(t, "eu"));
        Assert.Equal("rollup-d-20261121-eu", RollupKeys.Daily(t, "eu"));
        var hours = RollupKeys.HoursBetween(t.AddHours(-1), t.AddHours(1));
        Assert.True(hours.Contains("rollup-h-2026112112-eu") && hours.Contains("rollup-h-2026112113-us"));
        Assert.False(hours.Contains("rollup-h-2026112114-eu") || hours.Contains("rollup-h-2026112111-eu"));
        Assert.Equal(t.AddMinutes(-30), RollupKeys.HourOf("rollup-h-2026112113-eu"));
        Assert.Equal("eu", RollupKeys.RegionOf("rollup-d-20261121-eu"));
        Assert.Equal(RollupPeriod.Hourly, RollupKeys.PeriodOf("rollup-h-2026112113-eu"));
        Assert.Equal(RollupPeriod.Daily, RollupKeys.PeriodOf("rollup-d-20261121-eu"));
        var retained = RollupKeys.HoursBefore(t);
        Assert.True(retained.Contains("rollup-h-2026112112-eu") && !retained.Contains("rollup-h-2026112113-eu"));
        Assert.False(retained.Contains("rollup-d-20261120-eu"));
    }
}
