namespace ServerlessMonitor.Standalone;

/// <summary>
/// Completed once the app has answered its first request. Start-up work that need not precede that answer (the first
/// probe cycle and the read snapshot it builds, TimerScheduler) waits for it, at most a grace period (2 s), so a cold start
/// spends its CPU on listening and answering first: measured, the first cycle and snapshot took about a third of the
/// process's CPU before the first 200 on /api/health.
/// </summary>
/// <param name="grace">How long start-up work waits for a first request that does not come (<see cref="DefaultGrace"/>).</param>
internal sealed class FirstAnswer(TimeSpan? grace = null)
{
    /// <summary>Real time, not the app's clock: the wait is about sharing the CPU.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(2);

    public TimeSpan Grace { get; } = grace ?? DefaultGrace;

    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Answered => _answered.Task;

    public void Mark() => _answered.TrySetResult();

    /// <summary>The first answer, or the grace period, whichever comes first; false when stopping first.</summary>
    public async Task<bool> WaitAsync(CancellationToken ct)
    {
        try
        {
            await Task.WhenAny(Answered, Task.Delay(Grace, ct));
        }
        catch (OperationCanceledException)
        {
        }
        return !ct.IsCancellationRequested;
    }
}
