using System.ComponentModel.DataAnnotations;

namespace ServerlessMonitor.Push;

/// <summary>The "Push" configuration section: heartbeat endpoints (docs/PUSH.md).</summary>
public sealed class PushOptions
{
    public const string Section = "Push";

    /// <summary>Beats one token may send per minute; more get 429 with Retry-After.</summary>
    [Range(1, 1_000_000)]
    public int BeatsPerMinute { get; set; } = 60;

    /// <summary>
    /// A longer pause between two judgements of an endpoint (or twice its interval, when longer) means this
    /// monitor was not running: beats due in the pause are not held against the job.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:30", "1.00:00:00")]
    public TimeSpan MonitorGap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest beat body (its message) accepted; larger is 413.</summary>
    public const int MaxBodyBytes = 10 * 1024;
}
