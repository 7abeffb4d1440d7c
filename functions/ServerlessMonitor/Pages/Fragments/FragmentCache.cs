using System.Collections.Concurrent;

namespace ServerlessMonitor.Pages.Fragments;

/// <summary>
/// Rendered parts of the public pages (a service's section, its row in the compact list), each kept with the inputs it
/// was rendered from. A part is rendered again only when its inputs changed; every answer that includes it (the home
/// page, a page of the list, the service's own page) takes the kept string. Racing callers with the same inputs share
/// one render. <see cref="Renders"/> counts the renders, so tests and benchmarks can see what a build re-rendered.
/// </summary>
internal sealed class FragmentCache
{
    private readonly ConcurrentDictionary<string, Fragment> fragments = new(StringComparer.Ordinal);
    private long renders;

    /// <summary>How many fragments were rendered since the start (a kept fragment taken again is not counted).</summary>
    public long Renders => Interlocked.Read(ref renders);

    /// <summary>The fragment under <paramref name="key"/> for these inputs: the kept one when its inputs are equal, else rendered now.</summary>
    public string Get<T>(string key, T inputs, Func<T, string> render) where T : IEquatable<T>
    {
        while (true)
        {
            if (fragments.TryGetValue(key, out var kept) && kept.Inputs is T same && same.Equals(inputs))
            {
                return Value(key, kept);
            }
            var mine = new Fragment(inputs, new Lazy<string>(() =>
            {
                Interlocked.Increment(ref renders);
                return render(inputs);
            }));
            if (kept is null ? fragments.TryAdd(key, mine) : fragments.TryUpdate(key, mine, kept))
            {
                return Value(key, mine);
            }
        }
    }

    /// <summary>Drops the fragments of keys no answer uses any more (a service that left the catalog).</summary>
    public void KeepOnly(IReadOnlySet<string> keys)
    {
        foreach (var key in fragments.Keys.Where(k => !keys.Contains(k)))
        {
            fragments.TryRemove(key, out _);
        }
    }

    /// <summary>A render that threw is not kept: the next caller renders again instead of getting the same exception forever.</summary>
    private string Value(string key, Fragment fragment)
    {
        try
        {
            return fragment.Html.Value;
        }
        catch
        {
            fragments.TryRemove(new KeyValuePair<string, Fragment>(key, fragment));
            throw;
        }
    }

    private sealed record Fragment(object Inputs, Lazy<string> Html);
}
