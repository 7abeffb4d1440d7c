using System.Runtime.ExceptionServices;
using ServerlessMonitor.Incidents;

namespace ServerlessMonitor.Cycle;

/// <summary>
/// The writes of a cycle or shard, started as results come in. What was recorded is published even when some
/// writes failed (the retry skips recorded endpoints, so their status rows and alerts would otherwise wait for
/// the next cycle); the first failure is rethrown after that.
/// </summary>
public sealed class Recording
{
    private readonly List<Task<RecordedProbe?>> _writes = [];

    public void Add(Task<RecordedProbe?> write)
    {
        lock (_writes)
        {
            _writes.Add(write);
        }
    }

    public async Task<(IReadOnlyList<RecordedProbe> Recorded, ExceptionDispatchInfo? Failure)> ResultAsync()
    {
        Task<RecordedProbe?>[] writes;
        lock (_writes)
        {
            writes = [.. _writes];
        }
        // Failures are looked at per write below.
        await ((Task)Task.WhenAll(writes)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var recorded = writes.Where(w => w.IsCompletedSuccessfully).Select(w => w.Result).OfType<RecordedProbe>().ToList();
        var failed = writes.FirstOrDefault(w => !w.IsCompletedSuccessfully);
        return (recorded, failed is null ? null : ExceptionDispatchInfo.Capture(failed.Exception?.InnerException ?? new OperationCanceledException()));
    }
}
