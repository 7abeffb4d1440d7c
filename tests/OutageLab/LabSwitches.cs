using System.Collections.Concurrent;

namespace OutageLab;

/// <summary>
/// The status each /switch/{name} endpoint answers with. Unknown names are up (200), so a test only
/// touches the switches it flips, and different tests use different names.
/// </summary>
public sealed class LabSwitches
{
    public const int UpStatus = 200;
    public const int DownStatus = 503;

    private readonly ConcurrentDictionary<string, int> statuses = new(StringComparer.OrdinalIgnoreCase);

    public int StatusOf(string name) => statuses.TryGetValue(name, out var status) ? status : UpStatus;

    public void Set(string name, int status)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        statuses[name] = status;
    }

    public void Down(string name) => Set(name, DownStatus);

    public void Up(string name) => Set(name, UpStatus);
}
