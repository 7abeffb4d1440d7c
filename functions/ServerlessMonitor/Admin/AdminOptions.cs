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

    public bool HasKey => !string.IsNullOrEmpty(Key);
}
