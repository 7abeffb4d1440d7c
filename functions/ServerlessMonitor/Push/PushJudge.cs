using System.Globalization;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Conditions;

namespace ServerlessMonitor.Push;

/// <summary>The clock's verdict on a push endpoint: a failure with its kind and the sentence people read, or fine.</summary>
public sealed record PushVerdict(ErrorKind? Failure, string? Error)
{
    public static readonly PushVerdict Fine = new(null, null);
}

/// <summary>
/// The judgement of a push endpoint (docs/PUSH.md), pure: the expectation, the stored beat, the monitor's own watch
/// and the time. In order: a run that started and outlived maxRunTime is "run-time"; a job that reported failure
/// stays failed until it reports success; a beat missing past its expected time plus grace is "late". A deadline
/// that fell while this monitor was not judging (<see cref="PushWatch"/>) moves to the first expected time after
/// the monitor came back: no false "late" for the monitor's own outage.
/// </summary>
public static class PushJudge
{
    public static PushVerdict Judge(PushExpectation expect, PushBeat? beat, PushWatch watch, DateTimeOffset now)
    {
        if (beat?.StartedAt is { } started && expect.MaxRunTime is { } max)
        {
            var limit = started + max;
            if (now > limit && Watched(limit, watch))
            {
                return new(ErrorKind.RunTime, $"run started at {At(started, now)} has not finished within {max} (due by {At(limit, now)})");
            }
        }
        if (beat is { Failed: true })
        {
            var exit = beat.ExitCode is { } code ? $" (exit code {code})" : "";
            var message = string.IsNullOrWhiteSpace(beat.Message) ? "" : $": {Shorten(beat.Message)}";
            return new(ErrorKind.Reported, $"the job reported failure at {At(beat.FinishedAt ?? beat.LastAt, now)}{exit}{message}");
        }
        var last = Latest(beat?.FinishedAt, beat?.StartedAt);
        var due = Due(expect, last ?? watch.Since);
        if (!Watched(due, watch))
        {
            due = Due(expect, watch.Since);
        }
        if (now <= due)
        {
            return PushVerdict.Fine;
        }
        return new(ErrorKind.Late, last is { } l
            ? $"no heartbeat since {At(l, now)} (expected by {At(due, now)})"
            : $"no heartbeat yet (expected by {At(due, now)})");
    }

    /// <summary>When the beat after <paramref name="after"/> is due at the latest.</summary>
    public static DateTimeOffset Due(PushExpectation expect, DateTimeOffset after)
    {
        var next = expect.NextAfter(after);
        return next == DateTimeOffset.MaxValue ? next : next + expect.Grace;
    }

    /// <summary>Was the monitor judging when <paramref name="deadline"/> passed? Not when it fell into the last gap.</summary>
    private static bool Watched(DateTimeOffset deadline, PushWatch watch) =>
        watch.BlindFrom is not { } blind || deadline <= blind || deadline > watch.Since;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    /// <summary>"02:00 UTC" today, "2026-11-20 02:00 UTC" on another day; seconds only when there are some.</summary>
    private static string At(DateTimeOffset t, DateTimeOffset now)
    {
        var u = t.ToUniversalTime();
        var time = u.ToString(u.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
        return u.Date == now.UtcDateTime.Date ? time : u.ToString("yyyy-MM-dd ", CultureInfo.InvariantCulture) + time;
    }

    private static string Shorten(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length <= 200 ? line : line[..200] + "…";
    }
}
