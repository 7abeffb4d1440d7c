using System.ComponentModel.DataAnnotations;

namespace ServerlessMonitor.Admin;

/// <summary>
/// The admin API's shared secret. When set it is required in both hosting modes (sent as
/// <c>X-Admin-Key</c>); when not set, standalone refuses every admin call and hosted relies on the
/// Functions host's function-key check alone.
/// </summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    public const int MinKeyLength = 16;

    public string? Key { get; set; }

    /// <summary>Failed key attempts one client address may make per <see cref="FailureWindow"/>; then 429 until the window ends.</summary>
    [Range(1, 100_000)]
    public int MaxFailedAttempts { get; set; } = 10;

    /// <summary>How long failed attempts are counted (from an address's first failure), and how long a lock-out lasts at most.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    public bool HasKey => !string.IsNullOrEmpty(Key);
}
