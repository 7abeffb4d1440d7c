namespace ServerlessMonitor.SelfCheck;

/// <summary>The monitor block of the status answers, read once per answer (one range query).</summary>
public sealed class MonitorStatusReader(LocationReader reader, TimeProvider time)
{
    /// <param name="reportingRegions">Regions the statuses are built from.</param>
    /// <param name="latestCheck">When any status was last confirmed.</param>
    public async Task<MonitorStatusDto> ReadAsync(IEnumerable<string> reportingRegions, DateTimeOffset? latestCheck, CancellationToken ct) =>
        MonitorStatus.Describe((await reader.ReadAllAsync(ct)).Values, reportingRegions, latestCheck, time.GetUtcNow());
}
