using ServerlessMonitor.Alerts;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.SelfCheck;

/// <summary>
/// The Monitor.Offline / Monitor.Online CloudEvents (docs/ALERTS.md). Both events of one offline period carry
/// its start in their id seed (with the region and the event type), so a retried write of the same transition
/// keeps its id. The id does not de-duplicate a second verdict reached elsewhere (another shard or instance
/// starts the period at its own time, so its id differs): the ETag-guarded location row does that — the write
/// that loses the race sends no event (SelfCheckService.ApplyAsync).
/// </summary>
public static class LocationEvents
{
    public static AlertEvent Create(LocationChange change, string instance, string? statusPageUrl, DateTimeOffset now)
    {
        var offline = change.EventType == AlertTypes.MonitorOffline;
        var region = change.Next.Region;
        var start = offline ? change.Next.Since : change.Previous.Since;
        var data = new AlertData
        {
            Status = offline ? "offline" : "online",
            PreviousStatus = offline ? "online" : "offline",
            Region = region,
            Regions = [region],
            Start = start,
            End = offline ? null : now,
            DurationSeconds = !offline && start is { } s ? (now - s).TotalSeconds : null,
            Evidence = change.Next.Evidence,
            StatusesFrom = offline ? change.Next.LastGood : null,
            Message = offline ? MonitorStatus.OfflineSentence(change.Next, now) : MonitorStatus.OnlineSentence(change.Previous, now),
            StatusPageUrl = statusPageUrl,
        };
        var seed = $"{MonitorTables.MonitorPartition}|{region}|{start?.UtcTicks}|{change.EventType}";
        return AlertEvents.CreateForRegion(change.EventType, instance, region, now, data, seed);
    }
}
