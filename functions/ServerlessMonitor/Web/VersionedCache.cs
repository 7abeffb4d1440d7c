using System.Collections.Concurrent;

namespace ServerlessMonitor.Web;

/// <summary>
/// Answers of the other public reads (incidents, uptime, compare, reports, checks, feed) for one snapshot
/// version: computed by the first request for a URL, shared by every request after it (concurrent ones
/// wait for that one computation), dropped when the version changes. Bounded: past
/// <see cref="MaxEntries"/> URLs a version computes without caching, so odd query strings cannot grow memory.
/// </summary>
internal sealed class VersionedCache
{
    public const int MaxEntries = 4096;

    private volatile Generation generation = new("", new());

    /// <summary>
    /// The pending or finished answer for a URL at this version, or null when the caller is the one to
    /// compute it (it then owns <paramref name="computation"/> and must complete it).
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
        if (current.Answers.Count >= MaxEntries)
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

    /// <summary>A report was counted or an admin changed something: the next requests compute again.</summary>
    public void Clear() => generation = new(generation.Version, new());

    /// <summary>A computation that did not produce a cacheable answer is forgotten, so the next request retries.</summary>
    public void Forget(string url, TaskCompletionSource<SnapshotEntry?> computation) =>
        generation.Answers.TryRemove(new KeyValuePair<string, TaskCompletionSource<SnapshotEntry?>>(url, computation));

    private sealed record Generation(string Version, ConcurrentDictionary<string, TaskCompletionSource<SnapshotEntry?>> Answers);
}
