using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Tests.Support;

/// <summary>
/// An instance's store the test can hold before writes to endpoint partitions ("{service}.{endpoint}"):
/// <see cref="Hold"/> parks every such write (but the excepted partition's) until <see cref="Release"/> (a first attempt
/// still running when its message is redelivered, an instance killed mid-shard after it committed one endpoint).
/// </summary>
public sealed class HoldingStore(ITableStore inner) : DelegatingTableStore(inner)
{
    private TaskCompletionSource? _hold;
    private string? _except;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _exceptWritten = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once a write is parked by <see cref="Hold"/>.</summary>
    public Task Reached => _reached.Task;

    /// <summary>Completes once a write to the partition <see cref="Hold"/> let through has been committed.</summary>
    public Task ExceptWritten => _exceptWritten.Task;

    public void Hold(string? except = null)
    {
        _except = except;
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _exceptWritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    public override async Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default)
    {
        var partition = operations.Count > 0 ? operations[0].Entity.PartitionKey : "";
        if (partition.Contains('.', StringComparison.Ordinal) && partition != _except && Volatile.Read(ref _hold) is { } hold)
        {
            _reached.TrySetResult();
            await hold.Task.WaitAsync(ct);
        }
        var etags = await Inner.SubmitBatchAsync(table, operations, ct);
        if (partition == _except)
        {
            _exceptWritten.TrySetResult();
        }
        return etags;
    }
}
