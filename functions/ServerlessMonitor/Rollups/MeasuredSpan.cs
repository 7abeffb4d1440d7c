namespace ServerlessMonitor.Rollups;

/// <summary>
/// How much of a window a figure was actually measured over, so young data is not shown as if it covered the
/// whole window: from the start of the first rollup period with data (or the window's start, if later) to now,
/// and no more than the checks recorded times the endpoint's interval (the first period is an hour or a day; a
/// monitor started a minute ago has one or two checks in it).
/// </summary>
public static class MeasuredSpan
{
    /// <summary>Per-year downtime is not extrapolated from less than this.</summary>
    public static readonly TimeSpan MinForYear = TimeSpan.FromDays(7);

    /// <summary>Seconds measured of the window (<paramref name="checks"/>: maintenance ones included) [<paramref name="windowStart"/>, <paramref name="now"/>]; 0 without data.</summary>
    public static long Seconds(DateTimeOffset now, DateTimeOffset windowStart, DateTimeOffset? firstData, long checks, TimeSpan interval)
    {
        if (firstData is not { } first || checks == 0 || now <= windowStart)
        {
            return 0;
        }
        var from = first > windowStart ? first : windowStart;
        var span = Math.Max(0, (now - from).TotalSeconds);
        return (long)Math.Min(span, checks * interval.TotalSeconds);
    }

    /// <summary>The start of a day as an instant (UTC).</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
