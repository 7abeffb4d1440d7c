using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Tests.Storage;

public sealed class SharedReadsTests
{
    [Fact]
    public async Task InAScope_CallersRacingForOneKey_StartOneRead()
    {
        // A snapshot build runs its handlers side by side: eight of them ask for the same rows at the same moment,
        // and the read takes a while to start (as a store call does). It is started once.
        const int callers = 8;
        var reads = 0;
        using var start = new Barrier(callers);
        using (SharedReads.Begin())
        {
            var all = Enumerable.Range(0, callers).Select(_ => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                return SharedReads.ReadAsync("rows", _ =>
                {
                    Interlocked.Increment(ref reads);
                    Thread.Sleep(50);
                    return Task.FromResult(42);
                }, CancellationToken.None);
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToList();

            Assert.All(await Task.WhenAll(all), value => Assert.Equal(42, value));
        }

        Assert.Equal(1, reads);
    }

    [Fact]
    public async Task OutsideAScope_EveryCallReads()
    {
        var reads = 0;

        await SharedReads.ReadAsync("rows", _ => Task.FromResult(Interlocked.Increment(ref reads)), CancellationToken.None);
        await SharedReads.ReadAsync("rows", _ => Task.FromResult(Interlocked.Increment(ref reads)), CancellationToken.None);

        Assert.Equal(2, reads);
    }
}

/// <summary>A shared read runs under no caller's token: the first caller leaving must not cancel it for the others.</summary>
public class SharedReadsCancellationTests
{
    [Fact]
    public async Task ReadAsync_FirstCallerCancels_OtherCallerStillGetsTheRead()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reads = 0;
        async Task<int> Read(CancellationToken token)
        {
            Interlocked.Increment(ref reads);
            await gate.Task.WaitAsync(token);
            return 42;
        }
        using var scope = ServerlessMonitor.Storage.SharedReads.Begin();
        using var disconnected = new CancellationTokenSource();

        var web = ServerlessMonitor.Storage.SharedReads.ReadAsync("key", Read, disconnected.Token);
        var build = ServerlessMonitor.Storage.SharedReads.ReadAsync("key", Read, CancellationToken.None);
        await disconnected.CancelAsync();
        gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => web);
        Assert.Equal(42, await build.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(1, reads);
    }
}
