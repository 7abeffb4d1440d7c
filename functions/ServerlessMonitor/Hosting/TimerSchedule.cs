using NCrontab;

namespace ServerlessMonitor.Hosting;

/// <summary>Timer schedules are six-field NCRONTAB (with seconds), as the Functions timer trigger reads them.</summary>
public static class TimerSchedule
{
    public const string Hint = "must be a six-field NCRONTAB expression with seconds, e.g. '*/30 * * * * *'";

    public static bool IsValid(string schedule) =>
        CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is not null;
}
