using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ServerlessMonitor.Web;

/// <summary>
/// Answers of the other public reads (incidents, uptime, compare, reports, checks, feed) for one snapshot
/// version: computed by the first request for a URL, shared by every request after it (concurrent ones
/// wait for that one computation), dropped when the version changes. Bounded by what it holds in bytes
/// (<see cref="WebOptions.ReadCacheBytes"/>, each answer with its compressed variants) and by
/// <see cref="MaxEntries"/> URLs: past either, a version computes without caching, so odd URLs cannot grow memory.
/// </summary>
internal sealed class VersionedCache(IOptions<WebOptions> options)
{
    public const int MaxEntries = 4096;

    private volatile Generation generation = new("", new());

    /// <summary>
    /// The pending or finished answer for a URL at this version, or null when the caller is the one to
    /// compute it (it then owns <paramref name="computation"/> and must complete it) or the cache is full
    /// (<paramref name="computation"/> is then null: compute without caching).
    /// </summary>
    public Task<SnapshotEntry?>? Join(string version, string url, out TaskCompletionSource<SnapshotEntry?>? computation)
    {
        var current = generation;
        if (current.Version != version)
        {
            current = new Generation(version, new());
            generation = current;
        }
        computation = null;
        if (current.Answers.TryGetValue(url, out var existing))
        {
            return existing.Task;
        }
        if (current.Answers.Count >= MaxEntries || Interlocked.Read(ref current.Bytes) >= options.Value.ReadCacheBytes)
        {
            return null;
        }
        var mine = new TaskCompletionSource<SnapshotEntry?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var winner = current.Answers.GetOrAdd(url, mine);
        if (winner == mine)
        {
            computation = mine;
            return null;
        }
        return winner.Task;
    }

    /// <summary>Completes a computation with its answer and counts the answer's bytes against the bound.</summary>
    public void Complete(TaskCompletionSource<SnapshotEntry?> computation, SnapshotEntry entry)
    {
        // Counted with both variants (compressed here, once): the bound holds whichever encodings the next requests ask for.
        Interlocked.Add(ref generation.Bytes, entry.Identity.Length + (entry.GzipBytes()?.Length ?? 0) + (entry.BrotliBytes()?.Length ?? 0));
        computation.SetResult(entry);
    }

    /// <summary>A report was counted or an admin changed something: the next requests compute again.</summary>
    public void Clear() => generation = new(generation.Version, new());

    /// <summary>A computation that did not produce a cacheable answer is forgotten, so the next request retries.</summary>
    public void Forget(string url, TaskCompletionSource<SnapshotEntry?> computation) =>
        generation.Answers.TryRemove(new KeyValuePair<string, TaskCompletionSource<SnapshotEntry?>>(url, computation));

    private sealed class Generation(string version, ConcurrentDictionary<string, TaskCompletionSource<SnapshotEntry?>> answers)
    {
        /// <summary>Bytes of the answers completed in this generation.</summary>
        public long Bytes;

        public string Version => version;

        public ConcurrentDictionary<string, TaskCompletionSource<SnapshotEntry?>> Answers => answers;
    }
}
