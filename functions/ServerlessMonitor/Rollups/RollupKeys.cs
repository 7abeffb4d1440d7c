using System.Globalization;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Rollups;

/// <summary>Row keys of hourly and daily rollups (DESIGN §5): they sort by time, then region.</summary>
public static class RollupKeys
{
    public static string Hourly(DateTimeOffset t, string region) => $"rollup-h-{t.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture)}-{region}";

    public static string Daily(DateTimeOffset t, string region) => $"rollup-d-{t.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{region}";

    /// <summary>Hourly rows of every region for hours starting in [from, to).</summary>
    public static RowKeyRange HoursBetween(DateTimeOffset from, DateTimeOffset to) =>
        new($"rollup-h-{Stamp(from, "yyyyMMddHH")}", $"rollup-h-{Stamp(to, "yyyyMMddHH")}");

    /// <summary>Daily rows of every region for days in [from, to).</summary>
    public static RowKeyRange DaysBetween(DateOnly from, DateOnly to) =>
        new($"rollup-d-{from.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}", $"rollup-d-{to.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}");

    public static DateTimeOffset HourOf(string rowKey) =>
        DateTimeOffset.ParseExact(rowKey.Substring("rollup-h-".Length, 10), "yyyyMMddHH", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static DateOnly DayOf(string rowKey) =>
        DateOnly.ParseExact(rowKey.Substring("rollup-d-".Length, 8), "yyyyMMdd", CultureInfo.InvariantCulture);

    public static string RegionOf(string rowKey) => rowKey[(rowKey.LastIndexOf('-') + 1)..];

    private static string Stamp(DateTimeOffset t, string format) => t.UtcDateTime.ToString(format, CultureInfo.InvariantCulture);
}
