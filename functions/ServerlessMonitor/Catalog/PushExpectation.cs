using Cronos;

namespace ServerlessMonitor.Catalog;

/// <summary>
/// When a push (heartbeat) endpoint expects to hear from its job: every period, or at each occurrence of a cron
/// expression in an IANA time zone, plus how late a beat may be (<see cref="Grace"/>) and, for jobs that report
/// their start, how long a run may take (<see cref="MaxRunTime"/>). Judged by Push/PushJudge; docs/PUSH.md.
/// </summary>
public sealed record PushExpectation
{
    /// <summary>A beat is expected this long after the previous one; null when <see cref="Cron"/> is set.</summary>
    public TimeSpan? Every { get; init; }

    /// <summary>The cron expression as written (5 fields, or 6 with seconds first); null when <see cref="Every"/> is set.</summary>
    public string? Cron { get; init; }

    internal CronExpression? Schedule { get; init; }

    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    public TimeSpan Grace { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan? MaxRunTime { get; init; }

    /// <summary>The app setting that holds the endpoint's token (config as code); the token itself is never in the catalog.</summary>
    public string? TokenSetting { get; init; }

    /// <summary>
    /// The first time a beat is expected after <paramref name="after"/>. Cron occurrences are computed in the
    /// time zone (Cronos): a 02:30 job skipped by a spring-forward gap runs at 03:00, one in an autumn overlap once.
    /// </summary>
    public DateTimeOffset NextAfter(DateTimeOffset after)
    {
        if (Every is { } every)
        {
            return after + every;
        }
        return Schedule!.GetNextOccurrence(after.ToUniversalTime(), TimeZone) ?? DateTimeOffset.MaxValue;
    }

    /// <summary>"every 00:05:00" or "cron 0 2 * * * (Europe/Berlin)", for people.</summary>
    public string Describe() => Every is { } e ? $"every {e}" : $"cron {Cron} ({TimeZone.Id})";
}
