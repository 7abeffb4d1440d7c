using ServerlessMonitor.Catalog;
using ServerlessMonitor.Status;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Rollups;

/// <summary>
/// Computes a service's headline figures from each endpoint's last 25 hours (<see cref="RecentRollups"/>: in a build the hours
/// that are over are read once an hour, this hour from what the probes here wrote) and its days (<see cref="DailyHistory"/>). Uptime is the worst endpoint's: a service is as available as its
/// weakest part.
/// </summary>
public sealed class ServiceFigures(RecentRollups recent, DailyHistory history)
{
    /// <summary>
    /// The figures as of <paramref name="now"/>. Inside a <see cref="SharedReads"/> scope (a snapshot build: the
    /// overview, the service's document, the page and two badges all show them) they are computed once per service
    /// and the rows they come from are not kept. They depend on <paramref name="now"/> only through the hour and the
    /// day, so handlers that run a few seconds apart share them.
    /// </summary>
    public Task<ServiceFiguresDto> ComputeAsync(ServiceDefinition service, DateTimeOffset now, CancellationToken ct)
    {
        var hours = RollupKeys.HoursBetween(now.AddHours(-24), now.AddHours(1));
        return SharedReads.ReadAsync($"figures\n{service.Id}\n{hours.From}\n{hours.To}\n{DateOnly.FromDateTime(now.UtcDateTime):O}",
            token => ComputeNowAsync(service, now, token), ct);
    }

    private async Task<ServiceFiguresDto> ComputeNowAsync(ServiceDefinition service, DateTimeOffset now, CancellationToken ct)
    {
        double? h24 = null, d7 = null, d30 = null;
        long h24Seconds = 0, d7Seconds = 0, d30Seconds = 0, timingSeconds = 0;
        RollupTotals? timing = null;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var endpoint in service.Endpoints)
        {
            var partition = MonitorTables.EndpointPartition(service.Id, endpoint.Id);
            var hours = await recent.SumAsync(partition, now, 24, ct);
            var days = await history.ReadAsync(partition, now, ct);
            var day24 = hours.Totals;
            h24 = RollupTotals.WorstUptime(h24, day24.Uptime);
            d7 = RollupTotals.WorstUptime(d7, days.Counts(7).Uptime);
            d30 = RollupTotals.WorstUptime(d30, days.Counts(30).Uptime);
            // The service has been measured as long as its longest-watched endpoint.
            var day24Seconds = MeasuredSpan.Seconds(now, now.AddHours(-24), hours.FirstHour, day24.Checks + day24.Maintenance, endpoint.Interval);
            h24Seconds = Math.Max(h24Seconds, day24Seconds);
            d7Seconds = Math.Max(d7Seconds, DaysSeconds(days, 7));
            d30Seconds = Math.Max(d30Seconds, DaysSeconds(days, 30));
            if (endpoint == service.Primary)
            {
                timing = day24;
                timingSeconds = day24Seconds;
            }

            long DaysSeconds(EndpointDays d, int n) => MeasuredSpan.Seconds(now, MeasuredSpan.StartOf(today.AddDays(1 - n)),
                d.FirstDay(n) is { } first ? MeasuredSpan.StartOf(first) : null, d.Counts(n).Recorded, endpoint.Interval);
        }
        return new ServiceFiguresDto(
            new UptimeDto(h24, d7, d30) { H24MeasuredSeconds = h24Seconds, D7MeasuredSeconds = d7Seconds, D30MeasuredSeconds = d30Seconds },
            new ResponseTimeDto(Round(timing?.Percentile(50)), Round(timing?.Percentile(95)), Round(timing?.Percentile(99)), Round(timing?.AverageMs))
            {
                MeasuredSeconds = timingSeconds,
            });
    }

    private static double? Round(double? v) => v is null ? null : Math.Round(v.Value, 1);
}
