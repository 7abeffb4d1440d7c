using NCrontab;

namespace ServerlessMonitor.Hosting;

/// <summary>Timer schedules are six-field NCRONTAB (with seconds), as the Functions timer trigger reads them.</summary>
public static class TimerSchedule
{
    public const string Hint = "must be a six-field NCRONTAB expression with seconds, e.g. '*/30 * * * * *'";

    /// <summary>Runs looked at to find a schedule's period: a day of a 30-s schedule; weeks of an hourly one.</summary>
    private const int PeriodSample = 4096;

    public static bool IsValid(string schedule) =>
        CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is not null;

    /// <summary>
    /// The next run after <paramref name="now"/>: on the schedule, or, when <paramref name="every"/> is set, on the next multiple
    /// of it since the epoch (so ticks fall on :00, :20, :40 and two processes tick together).
    /// </summary>
    public static DateTimeOffset Next(string schedule, TimeSpan? every, DateTimeOffset now)
    {
        if (every is { Ticks: > 0 } step)
        {
            return new DateTimeOffset((now.UtcTicks / step.Ticks + 1) * step.Ticks, TimeSpan.Zero);
        }
        var parsed = CrontabSchedule.Parse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        return new DateTimeOffset(parsed.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
    }

    /// <summary>
    /// The longest gap between two consecutive runs (from a fixed date, so the answer does not depend on when it is asked):
    /// how long an endpoint may wait for the next run. "*/30 * * * * *" → 30 s; "0,10 * * * * *" → 50 s.
    /// </summary>
    public static TimeSpan Period(string schedule)
    {
        var parsed = CrontabSchedule.Parse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        var from = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var previous = parsed.GetNextOccurrence(from);
        var longest = TimeSpan.Zero;
        for (var i = 0; i < PeriodSample; i++)
        {
            var next = parsed.GetNextOccurrence(previous);
            if (next <= previous || next == DateTime.MaxValue)
            {
                break; // no run after this one within NCRONTAB's range
            }
            longest = next - previous > longest ? next - previous : longest;
            previous = next;
        }
        return longest == TimeSpan.Zero ? TimeSpan.MaxValue : longest;
    }
}
