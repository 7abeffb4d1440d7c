using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Tests.Support;

/// <summary>
/// Runs a fault once, right after a write to one partition was committed (<see cref="Arm"/>): the middle of a cycle, after
/// an endpoint's transition was recorded and before it was published. Writes queued behind the fault meet it.
/// </summary>
public sealed class AfterWriteStore(ITableStore inner) : DelegatingTableStore(inner)
{
    private Armed? _armed;
    private TaskCompletionSource _fired = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the armed fault has run.</summary>
    public Task Fired => _fired.Task;

    public void Arm(string partition, Func<Task> fault)
    {
        _fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _armed = new Armed(partition, fault);
    }

    public override async Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default)
    {
        var etags = await Inner.SubmitBatchAsync(table, operations, ct);
        if (operations.Count > 0 && Volatile.Read(ref _armed) is { } armed && operations[0].Entity.PartitionKey == armed.Partition
            && Interlocked.CompareExchange(ref _armed, null, armed) == armed)
        {
            await armed.Fault();
            _fired.TrySetResult();
        }
        return etags;
    }

    private sealed record Armed(string Partition, Func<Task> Fault);
}
