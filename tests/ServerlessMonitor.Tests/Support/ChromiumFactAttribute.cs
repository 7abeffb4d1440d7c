namespace ServerlessMonitor.Tests.Support;

/// <summary>
/// A browser test: runs in Debian's Chromium (which .ci/run installs). On a machine without it the
/// test is reported as skipped, with the reason, rather than passing silently.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        var reason = File.Exists(ExecutablePath) ? null : $"Chromium not found at {ExecutablePath} (apt-get install chromium)";
        if (reason is not null)
        {
            Skip = reason;
        }
    }
}
