using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Cycle;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Tests.Hosting;

/// <summary>How often endpoints are really probed: the schedule's period, the standalone tick, effective intervals and the load warnings.</summary>
public class ProbeCadenceTests
{
    [Theory]
    [InlineData("*/30 * * * * *", 30)]
    [InlineData("*/5 * * * * *", 5)]
    [InlineData("0,10 * * * * *", 50)]
    [InlineData("0 */5 * * * *", 300)]
    public void Period_Schedule_LongestGapBetweenRuns(string schedule, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TimerSchedule.Period(schedule));

    [Theory]
    [InlineData(20, 30, 30)]
    [InlineData(60, 30, 60)]
    [InlineData(45, 30, 60)]
    [InlineData(30, 30, 30)]
    [InlineData(20, 20, 20)]
    [InlineData(60, 20, 60)]
    [InlineData(7, 5, 10)]
    [InlineData(11, 5, 10)]
    [InlineData(300, 30, 300)]
    public void Effective_IntervalAndTick_FirstTickAtWhichTheCycleFindsItDue(int interval, int tick, int expected)
    {
        var effective = ProbeCadence.Effective(TimeSpan.FromSeconds(interval), TimeSpan.FromSeconds(tick));

        Assert.Equal(TimeSpan.FromSeconds(expected), effective);
        // The same answer as the cycle's own rule, ticking from a check made on a tick.
        var start = ManualClockStart;
        var first = Enumerable.Range(1, 100).First(k => ProbeCycle.IsDue(start, TimeSpan.FromSeconds(interval), start.AddSeconds(k * tick)));
        Assert.Equal(effective, TimeSpan.FromSeconds(first * tick));
    }

    [Theory]
    [InlineData(new[] { 20, 60 }, 20)]
    [InlineData(new[] { 10 }, 10)]
    [InlineData(new[] { 7, 11 }, 5)]
    [InlineData(new[] { 60, 300 }, null)]
    [InlineData(new[] { 30 }, null)]
    public void StandaloneTick_CatalogIntervals_StepThatHonoursThemOrNullWhenTheScheduleDoes(int[] intervals, int? expected)
    {
        var cadence = Cadence("*/30 * * * * *", MonitorHost.Standalone);

        Assert.Equal(expected is { } s ? TimeSpan.FromSeconds(s) : null, cadence.StandaloneTick(Catalog(intervals)));
    }

    [Fact]
    public void Warnings_FunctionsHostShorterInterval_NamesTheJsonPathAndTheEffectiveInterval()
    {
        var catalog = Catalog([60, 20, 45]);

        var warnings = Cadence("*/30 * * * * *", MonitorHost.Functions).Warnings(catalog);

        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("services[1].endpoints[0].interval: 00:00:20 is shorter than the probe period", warnings[0]);
        Assert.Contains("Monitor:ProbeSchedule '*/30 * * * * *'", warnings[0]);
        Assert.EndsWith("it is probed every 00:00:30", warnings[0]);
        Assert.StartsWith("services[2].endpoints[0].interval: 00:00:45 is not a multiple of the probe period", warnings[1]);
        Assert.EndsWith("it is probed every 00:01:00", warnings[1]);
    }

    [Fact]
    public void Warnings_StandaloneHonours_NoneUnlessBelowTheMinimumTick()
    {
        Assert.Empty(Cadence("*/30 * * * * *", MonitorHost.Standalone).Warnings(Catalog([60, 20, 45])));

        var warnings = Cadence("*/30 * * * * *", MonitorHost.Standalone).Warnings(Catalog([7, 10]));

        Assert.Equal(["services[0].endpoints[0].interval: 00:00:07 is not a multiple of the probe period (the standalone scheduler ticks every 00:00:05); it is probed every 00:00:10"], warnings);
    }

    [Fact]
    public void EffectiveInterval_PushEndpoint_Null()
    {
        var catalog = CatalogLoader.Load("""
            { "services": [ { "id": "job", "name": "Job", "endpoints": [ { "id": "beat", "kind": "push", "every": "00:05:00" } ] } ] }
            """).Catalog!;

        Assert.Null(Cadence("*/30 * * * * *", MonitorHost.Functions).EffectiveInterval(catalog.Services[0].Endpoints[0], catalog));
    }

    [Theory]
    [InlineData("*/30 * * * * *", null, "12:00:05", "12:00:30")]
    [InlineData("*/30 * * * * *", 20, "12:00:05", "12:00:20")]
    [InlineData("*/30 * * * * *", 20, "12:00:20", "12:00:40")]
    [InlineData("0 */5 * * * *", 10, "12:00:59", "12:01:00")]
    public void Next_ScheduleOrEvery_NextRun(string schedule, int? every, string now, string expected)
    {
        var day = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

        var next = TimerSchedule.Next(schedule, every is { } s ? TimeSpan.FromSeconds(s) : null, day + TimeSpan.Parse(now));

        Assert.Equal(day + TimeSpan.Parse(expected), next);
    }

    private static readonly DateTimeOffset ManualClockStart = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static ProbeCadence Cadence(string schedule, MonitorHost host) =>
        new(Options.Create(new MonitorOptions { ProbeSchedule = schedule }), host);

    private static MonitorCatalog Catalog(int[] intervals)
    {
        var services = intervals.Select((s, i) => $$"""
            { "id": "s{{i}}", "name": "S{{i}}", "endpoints": [ { "id": "web", "url": "https://example.com/{{i}}", "interval": "{{TimeSpan.FromSeconds(s):c}}", "timeout": "00:00:03" } ] }
            """);
        var result = CatalogLoader.Load($$"""{ "services": [ {{string.Join(",", services)}} ] }""");
        Assert.True(result.Catalog is not null, string.Join("\n", result.Errors));
        return result.Catalog!;
    }
}
