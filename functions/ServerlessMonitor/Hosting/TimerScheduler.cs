using NCrontab;

namespace ServerlessMonitor.Hosting;

/// <summary>
/// Standalone stand-in for the Functions timer trigger: fires each timer function on its NCRONTAB
/// schedule. Runs of one function never overlap; a failed run is logged and the schedule goes on.
/// </summary>
internal sealed class TimerScheduler(IEnumerable<ITimerFunction> functions, TimeProvider time, ILogger<TimerScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Select(f => RunScheduleAsync(f, stoppingToken)));

    private async Task RunScheduleAsync(ITimerFunction function, CancellationToken ct)
    {
        var schedule = CrontabSchedule.Parse(function.Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        logger.LogInformation("{Function} scheduled: {Schedule}", function.Name, function.Schedule);
        while (!ct.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
            try
            {
                await Task.Delay(next - now, time, ct);
                var pastDue = time.GetUtcNow() - next > TimeSpan.FromSeconds(5);
                await function.RunAsync(pastDue, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "{Function} failed", function.Name);
            }
        }
    }
}
