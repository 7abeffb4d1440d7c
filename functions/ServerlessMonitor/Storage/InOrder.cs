namespace ServerlessMonitor.Storage;

/// <summary>
/// Work over many items with a bounded number in flight, results in the items' order. For the read model: a
/// snapshot build answers thousands of requests that each read the store, and one after the other they wait
/// on the store's latency (a few milliseconds per read on Table Storage, thousands of reads per build).
/// </summary>
public static class InOrder
{
    /// <summary>Items in flight per call: enough to hide a remote store's latency, few enough not to crowd a small instance.</summary>
    public const int InFlight = 8;

    public static async Task<TResult[]> SelectAsync<T, TResult>(IReadOnlyList<T> items, Func<T, CancellationToken, Task<TResult>> select, CancellationToken ct)
    {
        var results = new TResult[items.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = ct },
            async (i, token) => results[i] = await select(items[i], token));
        return results;
    }
}
