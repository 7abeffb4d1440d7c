using Microsoft.Extensions.Options;
using NCrontab;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Web;

/// <summary>
/// The Cache-Control of public reads, sized to the probe interval: a cache in front may keep an answer for
/// half an interval and serve it stale for one more interval while it revalidates — data never gets older
/// than what the next probe cycle would replace anyway, and a spike hits the cache, not the app.
/// </summary>
internal sealed class CacheHeaders(IOptions<MonitorOptions> options)
{
    private readonly Lazy<string> value = new(() => For(ProbeInterval(options.Value.ProbeSchedule)));

    public string CacheControl => value.Value;

    internal static string For(TimeSpan probeInterval)
    {
        var seconds = (int)Math.Clamp(probeInterval.TotalSeconds, 2, 3600);
        return $"public, max-age={seconds / 2}, stale-while-revalidate={seconds}";
    }

    /// <summary>The gap between two consecutive runs of the schedule (the shortest one of the next few).</summary>
    internal static TimeSpan ProbeInterval(string schedule)
    {
        var cron = CrontabSchedule.Parse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        var runs = cron.GetNextOccurrences(new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 13, 0, 0, 0, DateTimeKind.Utc))
            .Take(6).ToList();
        return runs.Count < 2 ? TimeSpan.FromHours(1) : runs.Zip(runs.Skip(1), (a, b) => b - a).Min();
    }
}
