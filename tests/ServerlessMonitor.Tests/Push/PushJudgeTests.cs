using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Push;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Push;

/// <summary>The judgement of push endpoints (docs/PUSH.md), table by table, on a manual clock.</summary>
public class PushJudgeTests
{
    private static readonly DateTimeOffset Noon = ManualClock.Epoch;

    private static PushExpectation Every(string every, string grace = "00:01:00", string? maxRunTime = null) =>
        Load($$"""{ "id": "p", "kind": "push", "every": "{{every}}", "grace": "{{grace}}" {{(maxRunTime is null ? "" : $", \"maxRunTime\": \"{maxRunTime}\"")}} }""");

    private static PushExpectation Cron(string cron, string zone, string grace) =>
        Load($$"""{ "id": "p", "kind": "push", "cron": "{{cron}}", "timeZone": "{{zone}}", "grace": "{{grace}}" }""");

    private static PushExpectation Load(string endpoint)
    {
        var result = CatalogLoader.Load($$"""{ "services": [ { "id": "jobs", "name": "Jobs", "endpoints": [ {{endpoint}} ] } ] }""");
        Assert.Empty(result.Errors);
        return result.Catalog!.Services[0].Endpoints[0].Push!;
    }

    private static PushBeat Finished(DateTimeOffset at, bool failed = false, string? message = null, int? exitCode = null) =>
        PushBeat.Merge(null, new IncomingBeat(failed ? BeatSignal.Failure : BeatSignal.Success, at, message, exitCode, null))!;

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Watching since long before, no gap.</summary>
    private static readonly PushWatch Steady = new(Noon.AddDays(-30), null);

    [Theory]
    [InlineData(0, null)] // the beat itself
    [InlineData(180, null)] // on time
    [InlineData(360, null)] // every + grace exactly: the grace edge is still on time
    [InlineData(361, ErrorKind.Late)] // one second past it
    public void Judge_EveryFiveMinutesGraceOne_LateOnlyPastTheGraceEdge(int secondsAfterBeat, ErrorKind? expected)
    {
        var clock = new ManualClock(Noon);
        var beat = Finished(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(secondsAfterBeat));

        var verdict = PushJudge.Judge(Every("00:05:00"), beat, Steady, clock.GetUtcNow());

        Assert.Equal(expected, verdict.Failure);
    }

    [Fact]
    public void Judge_Late_SaysSinceWhenAndByWhen()
    {
        var verdict = PushJudge.Judge(Every("00:05:00"), Finished(Noon), Steady, Noon.AddMinutes(10));

        Assert.Equal("no heartbeat since 12:00 UTC (expected by 12:06 UTC)", verdict.Error);
    }

    [Fact]
    public void Judge_NeverBeat_LateAPeriodAfterTheMonitorBeganWatching()
    {
        var watch = new PushWatch(Noon, null);

        Assert.Null(PushJudge.Judge(Every("00:05:00"), null, watch, Noon.AddMinutes(6)).Failure);
        var late = PushJudge.Judge(Every("00:05:00"), null, watch, Noon.AddMinutes(6).AddSeconds(1));
        Assert.Equal(ErrorKind.Late, late.Failure);
        Assert.Equal("no heartbeat yet (expected by 12:06 UTC)", late.Error);
    }

    public static TheoryData<string, string, string, string, ErrorKind?> DstCases => new()
    {
        // Europe/Berlin springs forward on 2026-03-29 02:00 -> 03:00: 02:30 does not exist that night, the job runs at 03:00 CEST (01:00 UTC).
        { "30 2 * * *", "Europe/Berlin", "2026-03-28T01:30:00", "2026-03-29T01:10:00", null },
        { "30 2 * * *", "Europe/Berlin", "2026-03-28T01:30:00", "2026-03-29T01:10:01", ErrorKind.Late },
        // A daily 02:00 job: 01:00 UTC in winter, 00:00 UTC once summer time began (03-30).
        { "0 2 * * *", "Europe/Berlin", "2026-03-29T01:00:00", "2026-03-30T00:10:00", null },
        { "0 2 * * *", "Europe/Berlin", "2026-03-29T01:00:00", "2026-03-30T00:10:01", ErrorKind.Late },
        // Berlin falls back on 2026-10-25 03:00 -> 02:00: 02:30 happens twice, the job once; the repeated hour is no "late".
        { "30 2 * * *", "Europe/Berlin", "2026-10-25T00:30:00", "2026-10-25T01:45:00", null },
        { "30 2 * * *", "Europe/Berlin", "2026-10-25T00:30:00", "2026-10-26T01:40:00", null },
        { "30 2 * * *", "Europe/Berlin", "2026-10-25T00:30:00", "2026-10-26T01:40:01", ErrorKind.Late },
        // America/New_York springs forward on 2026-03-08 02:00 -> 03:00: 02:30 EST (07:30 UTC) becomes 03:00 EDT (07:00 UTC).
        { "30 2 * * *", "America/New_York", "2026-03-07T07:30:00", "2026-03-08T07:05:00", null },
        { "30 2 * * *", "America/New_York", "2026-03-07T07:30:00", "2026-03-08T07:05:01", ErrorKind.Late },
        // New York falls back on 2026-11-01 02:00 -> 01:00: 01:30 EDT (05:30 UTC) runs, 01:30 EST (06:30 UTC) is the same night.
        { "30 1 * * *", "America/New_York", "2026-11-01T05:30:00", "2026-11-01T06:45:00", null },
        { "30 1 * * *", "America/New_York", "2026-11-01T05:30:00", "2026-11-02T06:40:01", ErrorKind.Late },
    };

    [Theory]
    [MemberData(nameof(DstCases))]
    public void Judge_CronAcrossDaylightSavingChange_ExpectsLocalTime(string cron, string zone, string beatUtc, string nowUtc, ErrorKind? expected)
    {
        var grace = zone == "Europe/Berlin" ? "00:10:00" : "00:05:00";
        var clock = new ManualClock(Utc(beatUtc));
        var beat = Finished(clock.GetUtcNow());
        clock.Advance(Utc(nowUtc) - Utc(beatUtc));

        var verdict = PushJudge.Judge(Cron(cron, zone, grace), beat, Steady, clock.GetUtcNow());

        Assert.Equal(expected, verdict.Failure);
    }

    [Fact]
    public void Judge_StartThenFinishWithinMaxRunTime_FineAndRunTimeMeasured()
    {
        var expect = Every("1.00:00:00", maxRunTime: "00:30:00");
        var started = PushBeat.Merge(Finished(Noon.AddDays(-1)), new IncomingBeat(BeatSignal.Start, Noon, null, null, null))!;
        var finished = PushBeat.Merge(started, new IncomingBeat(BeatSignal.Success, Noon.AddMinutes(20), null, 0, null))!;

        Assert.Null(PushJudge.Judge(expect, started, Steady, Noon.AddMinutes(29)).Failure);
        Assert.Null(PushJudge.Judge(expect, finished, Steady, Noon.AddHours(2)).Failure);
        Assert.Equal(20 * 60_000, finished.DurationMs);
        Assert.Null(finished.StartedAt);
    }

    [Fact]
    public void Judge_StartWithoutFinishPastMaxRunTime_RunTime()
    {
        var expect = Every("1.00:00:00", maxRunTime: "00:30:00");
        var started = PushBeat.Merge(Finished(Noon.AddDays(-1)), new IncomingBeat(BeatSignal.Start, Noon, null, null, null))!;

        Assert.Null(PushJudge.Judge(expect, started, Steady, Noon.AddMinutes(30)).Failure);
        var verdict = PushJudge.Judge(expect, started, Steady, Noon.AddMinutes(30).AddSeconds(1));
        Assert.Equal(ErrorKind.RunTime, verdict.Failure);
        Assert.Equal("run started at 12:00 UTC has not finished within 00:30:00 (due by 12:30 UTC)", verdict.Error);
    }

    [Theory]
    [InlineData(true, null, "disk full", ErrorKind.Reported, "the job reported failure at 12:00 UTC: disk full")]
    [InlineData(true, 3, null, ErrorKind.Reported, "the job reported failure at 12:00 UTC (exit code 3)")]
    [InlineData(false, 0, null, null, null)]
    public void Judge_ReportedOutcome_FailsAtOnceOrIsFine(bool failed, int? exitCode, string? message, ErrorKind? expected, string? error)
    {
        var verdict = PushJudge.Judge(Every("00:05:00"), Finished(Noon, failed, message, exitCode), Steady, Noon.AddSeconds(1));

        Assert.Equal((expected, error), (verdict.Failure, verdict.Error));
    }

    [Fact]
    public void Judge_FailureThenSuccess_FineAgain()
    {
        var failed = Finished(Noon, failed: true);
        var recovered = PushBeat.Merge(failed, new IncomingBeat(BeatSignal.Success, Noon.AddMinutes(1), null, null, null))!;

        Assert.Null(PushJudge.Judge(Every("00:05:00"), recovered, Steady, Noon.AddMinutes(2)).Failure);
    }

    [Fact]
    public void Judge_MonitorDownForAnHour_NoFalseLateThenLateAPeriodAfterItCameBack()
    {
        var expect = Every("00:05:00");
        var beat = Finished(Noon);
        var clock = new ManualClock(Noon.AddMinutes(2));
        var watch = PushWatch.Next(null, null, TimeSpan.FromMinutes(5), clock.GetUtcNow());
        var lastCheck = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromHours(1)); // the monitor is down from 12:02 to 13:02; the job's beats found no one

        watch = PushWatch.Next(watch, lastCheck, TimeSpan.FromMinutes(5), clock.GetUtcNow());
        var back = PushJudge.Judge(expect, beat, watch, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromMinutes(6));
        var edge = PushJudge.Judge(expect, beat, watch, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(1));
        var late = PushJudge.Judge(expect, beat, watch, clock.GetUtcNow());

        Assert.Equal(new PushWatch(Noon.AddMinutes(62), Noon.AddMinutes(2)), watch);
        Assert.Null(back.Failure);
        Assert.Null(edge.Failure);
        Assert.Equal(ErrorKind.Late, late.Failure);
        Assert.Equal("no heartbeat since 12:00 UTC (expected by 13:08 UTC)", late.Error);
    }

    [Fact]
    public void Judge_AlreadyLateBeforeTheMonitorWentDown_StaysLateAfterRestart()
    {
        var beat = Finished(Noon);
        var watch = PushWatch.Next(new PushWatch(Noon.AddDays(-1), null), Noon.AddMinutes(20), TimeSpan.FromMinutes(5), Noon.AddMinutes(80));

        var verdict = PushJudge.Judge(Every("00:05:00"), beat, watch, Noon.AddMinutes(80));

        Assert.Equal(ErrorKind.Late, verdict.Failure);
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    public void WatchNext_ChecksWithinTheAllowedGap_KeepTheWatch(int secondsSinceLastCheck, bool kept)
    {
        var stored = new PushWatch(Noon.AddDays(-1), null);

        var next = PushWatch.Next(stored, Noon, TimeSpan.FromMinutes(5), Noon.AddSeconds(secondsSinceLastCheck));

        Assert.Equal(kept, ReferenceEquals(stored, next));
    }

    [Fact]
    public void Merge_OlderBeatThanStored_KeepsTheNewest()
    {
        var stored = Finished(Noon.AddSeconds(5));

        Assert.Null(PushBeat.Merge(stored, new IncomingBeat(BeatSignal.Failure, Noon, "old", 1, null)));
        Assert.NotNull(PushBeat.Merge(stored, new IncomingBeat(BeatSignal.Failure, Noon.AddSeconds(6), "new", 1, null)));
    }
}
