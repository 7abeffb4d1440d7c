using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Standalone;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Hosting;

/// <summary>
/// Cold start: the standalone scheduler's start-up run (the first probe cycle and the snapshot it builds) waits until the
/// app has answered its first request, or a grace period, so it never competes with that first answer for the CPU.
/// </summary>
public sealed class FirstAnswerTests
{
    [Fact]
    public async Task StartupRun_AppListeningButNotAnsweredYet_WaitsForTheFirstAnswer()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var first = new FirstAnswer(grace: TimeSpan.FromMinutes(10));
        var function = new StartupFunction();
        using var scheduler = new TimerScheduler([function], new ManualClock(), lifetime, first, NullLogger<TimerScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);

        lifetime.NotifyStarted();
        await Task.Delay(300);
        Assert.False(function.Ran.Task.IsCompleted, "the start-up run went ahead of the first answer");

        first.Mark();
        await function.Ran.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartupRun_NoRequestComes_RunsAfterTheGrace()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var function = new StartupFunction();
        using var scheduler = new TimerScheduler([function], new ManualClock(), lifetime, new FirstAnswer(grace: TimeSpan.FromMilliseconds(50)),
            NullLogger<TimerScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);

        lifetime.NotifyStarted();

        await function.Ran.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartupRun_StoppedBeforeTheFirstAnswer_NeverRuns()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var function = new StartupFunction();
        using var scheduler = new TimerScheduler([function], new ManualClock(), lifetime, new FirstAnswer(grace: TimeSpan.FromMinutes(10)),
            NullLogger<TimerScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);
        lifetime.NotifyStarted();

        await scheduler.StopAsync(CancellationToken.None);

        Assert.False(function.Ran.Task.IsCompleted);
    }

    private sealed class StartupFunction : ITimerFunction
    {
        public TaskCompletionSource Ran { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "Startup";

        public string ScheduleSetting => "Test:Schedule";

        public string Schedule => "0 0 0 1 1 *";

        public bool RunsAtStartup => true;

        public Task<IReadOnlyList<string>> RunAsync(bool isPastDue, CancellationToken ct)
        {
            Ran.TrySetResult();
            return Task.FromResult<IReadOnlyList<string>>([]);
        }
    }
}
