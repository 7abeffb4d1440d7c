using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Tests.Storage;

public sealed class InOrderTests
{
    [Fact]
    public async Task Results_KeepTheItemsOrder_WhenLaterItemsFinishFirst_WithAtMostInFlightRunning()
    {
        var items = Enumerable.Range(0, 40).ToList();
        var running = 0;
        var most = 0;
        var gates = items.ToDictionary(i => i, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

        var all = InOrder.SelectAsync(items, async (i, _) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await gates[i].Task;
            Interlocked.Decrement(ref running);
            return i * 10;
        }, CancellationToken.None);
        // Release them newest first, as far as they have started.
        for (var released = 0; released < items.Count;)
        {
            await Task.Yield();
            foreach (var i in items.AsEnumerable().Reverse())
            {
                if (!gates[i].Task.IsCompleted && Volatile.Read(ref running) > 0 && gates[i].TrySetResult())
                {
                    released++;
                    break;
                }
            }
        }

        Assert.Equal(items.Select(i => i * 10), await all);
        Assert.InRange(most, 1, InOrder.InFlight);
    }

    [Fact]
    public async Task AFailure_FailsTheWhole()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => InOrder.SelectAsync<int, int>([1, 2, 3],
            (i, _) => i == 2 ? throw new InvalidOperationException("item 2") : Task.FromResult(i), CancellationToken.None));

        Assert.Equal("item 2", error.Message);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
