using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Benchmarks;

/// <summary>
/// Counts the write transactions (batches) the app submits and the time they take. Reads are counted by the
/// storage meter instead (ReadBench.ListenToReads), which sees only the reads that reach the store.
/// </summary>
internal sealed class CountingTableStore(ITableStore inner) : DelegatingTableStore(inner)
{
    private long _transactions;
    private long _writeTicks;

    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Wall time spent inside batch submissions (they overlap when the backend allows it).</summary>
    public TimeSpan WriteTime => TimeSpan.FromTicks(Interlocked.Read(ref _writeTicks));

    public void Reset()
    {
        Interlocked.Exchange(ref _transactions, 0);
        Interlocked.Exchange(ref _writeTicks, 0);
    }

    public override async Task<IReadOnlyList<string?>> SubmitBatchAsync(string table, IReadOnlyList<TableOperation> operations, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _transactions);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return await Inner.SubmitBatchAsync(table, operations, ct);
        }
        finally
        {
            Interlocked.Add(ref _writeTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
        }
    }
}
