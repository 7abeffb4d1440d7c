namespace ServerlessMonitor.Storage;

/// <summary>
/// When a stored day stops changing. Rows land under their writer's own time: a probe of 23:59:59 recorded after a
/// timeout, its confirmation or a retried shard; a report taken by an instance whose clock runs a little behind. A day
/// is sealed once it has been over for <see cref="After"/>, and readers may keep what they read of it for good.
/// </summary>
public static class DaySeal
{
    public static readonly TimeSpan After = TimeSpan.FromHours(1);

    /// <summary>The last day sealed at <paramref name="now"/> (yesterday, or the day before in the first hour of a day).</summary>
    public static DateOnly LastSealed(DateTimeOffset now) => DateOnly.FromDateTime((now - After).UtcDateTime).AddDays(-1);

    /// <summary>The instant a (UTC) day starts.</summary>
    public static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
