using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Tests.Support;

/// <summary>
/// An instance's store the test can hold before writes to endpoint partitions ("{service}.{endpoint}"):
/// <see cref="Hold"/> parks every such write until <see cref="Release"/> (a first attempt still running when its
/// message is redelivered).
/// </summary>
public sealed class HoldingStore(ITableStore inner) : DelegatingTableStore(inner)
{
    private TaskCompletionSource? _hold;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once a write is parked by <see cref="Hold"/>.</summary>
    public Task Reached => _reached.Task;

    public void Hold()
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    public override async Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default)
    {
        if (operations.Count > 0 && operations[0].Entity.PartitionKey.Contains('.', StringComparison.Ordinal))
        {
            if (Volatile.Read(ref _hold) is { } hold)
            {
                _reached.TrySetResult();
                await hold.Task.WaitAsync(ct);
            }
        }
        return await Inner.SubmitBatchAsync(table, operations, ct);
    }
}
