namespace ServerlessMonitor.Reports;

/// <summary>What a user can report as broken (DESIGN §6).</summary>
public static class ReportKinds
{
    public static readonly IReadOnlyList<string> All = ["app", "login", "feed", "upload", "connection", "other"];

    /// <summary>The canonical (lower-case) kind, or null when it is not one of <see cref="All"/>.</summary>
    public static string? Normalize(string? kind) =>
        All.FirstOrDefault(k => string.Equals(k, kind?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Count column of a kind in a bucket row ("app" → "App").</summary>
    public static string Property(string kind) => char.ToUpperInvariant(kind[0]) + kind[1..];
}
