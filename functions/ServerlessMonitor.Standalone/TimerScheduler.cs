using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Standalone;

/// <summary>
/// Standalone stand-in for the Functions timer trigger: fires each timer function on its NCRONTAB
/// schedule (and, for those that ask, once as soon as the app is ready). Runs of one function never
/// overlap; a failed run is logged and the schedule goes on.
/// </summary>
internal sealed class TimerScheduler(IEnumerable<ITimerFunction> functions, TimeProvider time, IHostApplicationLifetime lifetime,
    FirstAnswer firstAnswer, ILogger<TimerScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Select(f => RunScheduleAsync(f, stoppingToken)));

    private async Task RunScheduleAsync(ITimerFunction function, CancellationToken ct)
    {
        logger.LogInformation("{Function} scheduled: {Schedule}{Every}", function.Name, function.Schedule,
            function.Every is { } every ? $", ticking every {every:c} to honour the catalog's intervals" : "");
        if (function.RunsAtStartup && await StartedAsync(ct))
        {
            await RunOnceAsync(function, isPastDue: false, ct);
        }
        while (!ct.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = TimerSchedule.Next(function.Schedule, function.Every, now);
            try
            {
                await Task.Delay(next - now, time, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            await RunOnceAsync(function, isPastDue: time.GetUtcNow() - next > TimeSpan.FromSeconds(5), ct);
        }
    }

    private async Task RunOnceAsync(ITimerFunction function, bool isPastDue, CancellationToken ct)
    {
        try
        {
            foreach (var line in await function.RunAsync(isPastDue, ct))
            {
                logger.LogDebug("{Function}: {Line}", function.Name, line);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Function} failed", function.Name);
        }
    }

    /// <summary>
    /// Waits until the app listens and has answered its first request (at most <see cref="FirstAnswer.DefaultGrace"/> after
    /// listening), so the first cycle never delays start-up nor the first answer; false when stopping first.
    /// </summary>
    private async Task<bool> StartedAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource();
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = ct.Register(() => started.TrySetCanceled(ct));
        try
        {
            await started.Task;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        return await firstAnswer.WaitAsync(ct);
    }
}
