namespace ServerlessMonitor.Push;

/// <summary>
/// Since when this region's monitor has been judging a push endpoint without a gap, and where its last gap began.
/// A beat due inside the gap may have been sent while nobody listened, so it is not held against the job.
/// </summary>
public sealed record PushWatch(DateTimeOffset Since, DateTimeOffset? BlindFrom)
{
    /// <summary>
    /// The watch after a judgement at <paramref name="now"/>: unchanged while the endpoint's checks follow each other
    /// within <paramref name="allowedGap"/>; otherwise (the monitor was down, or this is its first look) a new watch
    /// starting now, blind since the previous check.
    /// </summary>
    public static PushWatch Next(PushWatch? stored, DateTimeOffset? previousCheck, TimeSpan allowedGap, DateTimeOffset now)
    {
        if (stored is not null && previousCheck is { } previous && now - previous <= allowedGap)
        {
            return stored;
        }
        return new PushWatch(now, previousCheck ?? stored?.Since);
    }
}
