using System.Text.Json.Serialization;

namespace ServerlessMonitor.Status;

/// <summary>Status of an endpoint or service. Ordered by severity so "worst of" is a max.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HealthStatus>))]
public enum HealthStatus
{
    [JsonStringEnumMemberName("unknown")] Unknown = 0,
    [JsonStringEnumMemberName("up")] Up = 1,
    [JsonStringEnumMemberName("maintenance")] Maintenance = 2,
    [JsonStringEnumMemberName("degraded")] Degraded = 3,
    [JsonStringEnumMemberName("partial")] Partial = 4,
    [JsonStringEnumMemberName("down")] Down = 5,
}

public static class HealthStatusText
{
    public static string ToWire(this HealthStatus s) => s.ToString().ToLowerInvariant();

    public static HealthStatus ParseWire(string? s) =>
        Enum.TryParse<HealthStatus>(s, ignoreCase: true, out var v) ? v : HealthStatus.Unknown;

    /// <summary>Service status = the worst of its endpoints; unknown only counts when nothing is known.</summary>
    public static HealthStatus Worst(IEnumerable<HealthStatus> statuses)
    {
        var known = statuses.Where(s => s != HealthStatus.Unknown).ToList();
        return known.Count == 0 ? HealthStatus.Unknown : known.Max();
    }
}
