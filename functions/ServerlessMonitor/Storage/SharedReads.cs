using System.Collections.Concurrent;

namespace ServerlessMonitor.Storage;

/// <summary>
/// A scope (flowing with the async call) in which identical reads go to the store once. The read snapshot is
/// built by running every public handler — overview, one document and three badges per service, the page —
/// and they read the same status board and compute the same service figures; without a shared scope a build
/// would read the whole board once per handler, which grows with the square of the catalog. What is shared (the
/// status board, each service's figures, the monitor's location rows) is kept decoded under its own key, never the rows it came from: at
/// 10,000 endpoints the rows were most of a build's memory. Only for work that writes nothing it then reads back.
/// </summary>
public static class SharedReads
{
    private static readonly AsyncLocal<Scope?> Current = new();

    /// <summary>Whether the calling flow is inside a scope (a snapshot build), where memory may answer for the store.</summary>
    internal static bool Active => Current.Value is not null;

    /// <summary>Starts a scope for the calling async flow; disposing it ends it.</summary>
    public static IDisposable Begin()
    {
        var scope = new Scope(Current.Value);
        Current.Value = scope;
        return scope;
    }

    /// <summary>
    /// The read is started once, by whichever handler asks first (handlers run side by side in a build; a dictionary's
    /// value factory alone may run once per racing caller). It runs under no caller's token and each caller waits for it under its own: a web
    /// client that disconnects cancels its own wait, never a read that a concurrent snapshot build is waiting on.
    /// </summary>
    internal static Task<T> ReadAsync<T>(string key, Func<CancellationToken, Task<T>> read, CancellationToken ct) =>
        Current.Value is { } scope
            ? ((Task<T>)scope.Reads.GetOrAdd(key, _ => new Lazy<Task>(() => read(CancellationToken.None))).Value).WaitAsync(ct)
            : read(ct);

    private sealed class Scope(Scope? outer) : IDisposable
    {
        public ConcurrentDictionary<string, Lazy<Task>> Reads { get; } = new(StringComparer.Ordinal);

        public void Dispose() => Current.Value = outer;
    }
}
