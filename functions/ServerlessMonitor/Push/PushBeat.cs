namespace ServerlessMonitor.Push;

/// <summary>What a job said on one request to /api/push/{token}.</summary>
public enum BeatSignal
{
    /// <summary>A finished run that went well (a plain beat, status=up, exit code 0).</summary>
    Success,

    /// <summary>A finished run that failed (/fail, status=down, a non-zero exit code).</summary>
    Failure,

    /// <summary>A run began (/start): its finish is measured and held to maxRunTime.</summary>
    Start,
}

/// <summary>One request's beat, before it is merged into the stored <see cref="PushBeat"/>.</summary>
public sealed record IncomingBeat(BeatSignal Signal, DateTimeOffset At, string? Message, int? ExitCode, long? PingMs);

/// <summary>
/// The last word of a push endpoint's job, as stored (one row per endpoint, shared by every region): when it last
/// finished and how, the run it has started and not finished yet, and its last message (at most 10 KiB of text).
/// </summary>
public sealed record PushBeat
{
    /// <summary>The newest signal of any kind: two instances receiving beats at once keep the one with the later time.</summary>
    public required DateTimeOffset LastAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public bool Failed { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public string? Message { get; init; }

    public int? ExitCode { get; init; }

    /// <summary>The job's own timing (Uptime Kuma's <c>ping</c>), or else how long its last measured run took.</summary>
    public long? DurationMs { get; init; }

    /// <summary>This beat with <paramref name="incoming"/> applied; null when the stored beat is newer (it stays). Of two at the same instant the later arrival wins.</summary>
    public static PushBeat? Merge(PushBeat? stored, IncomingBeat incoming)
    {
        if (stored is not null && stored.LastAt > incoming.At)
        {
            return null;
        }
        if (incoming.Signal == BeatSignal.Start)
        {
            return (stored ?? new PushBeat { LastAt = incoming.At }) with { LastAt = incoming.At, StartedAt = incoming.At };
        }
        var run = stored?.StartedAt is { } started ? (long)(incoming.At - started).TotalMilliseconds : (long?)null;
        return new PushBeat
        {
            LastAt = incoming.At,
            FinishedAt = incoming.At,
            Failed = incoming.Signal == BeatSignal.Failure,
            StartedAt = null,
            Message = incoming.Message,
            ExitCode = incoming.ExitCode,
            DurationMs = incoming.PingMs ?? run,
        };
    }
}
