namespace ServerlessMonitor.Pages.Fragments;

/// <summary>The keys fragments are kept under, built in this one place.</summary>
internal static class FragmentKeys
{
    /// <summary>A service's full section (the home page and its own page).</summary>
    public static string Section(string serviceId) => $"section/{serviceId}";

    /// <summary>A service's row in the compact list (the pages of a big catalog).</summary>
    public static string Row(string serviceId) => $"row/{serviceId}";

    /// <summary>Every key the services of a catalog can use.</summary>
    public static IReadOnlySet<string> For(IEnumerable<string> serviceIds) =>
        serviceIds.SelectMany(id => new[] { Section(id), Row(id) }).ToHashSet(StringComparer.Ordinal);
}
