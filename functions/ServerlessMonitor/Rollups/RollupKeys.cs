using System.Globalization;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Rollups;

public enum RollupPeriod
{
    Hourly,
    Daily,
}

/// <summary>Row keys of hourly and daily rollups (DESIGN §5): they sort by time, then region. Built and read only here.</summary>
public static class RollupKeys
{
    private const string HourlyPrefix = "rollup-h-";
    private const string DailyPrefix = "rollup-d-";

    public static string Hourly(DateTimeOffset t, string region) => $"{HourlyPrefix}{t.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture)}-{region}";

    public static string Daily(DateTimeOffset t, string region) => $"{DailyPrefix}{t.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{region}";

    /// <summary>Hourly rows of every region for hours starting in [from, to).</summary>
    public static RowKeyRange HoursBetween(DateTimeOffset from, DateTimeOffset to) =>
        new($"{HourlyPrefix}{Stamp(from, "yyyyMMddHH")}", $"{HourlyPrefix}{Stamp(to, "yyyyMMddHH")}");

    /// <summary>Daily rows of every region for days in [from, to).</summary>
    public static RowKeyRange DaysBetween(DateOnly from, DateOnly to) =>
        new($"{DailyPrefix}{from.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}", $"{DailyPrefix}{to.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}");

    /// <summary>Hourly rows of every region for hours starting before <paramref name="to"/> (what retention deletes).</summary>
    public static RowKeyRange HoursBefore(DateTimeOffset to) => new(HourlyPrefix, $"{HourlyPrefix}{Stamp(to, "yyyyMMddHH")}");

    /// <summary>Daily rows of every region for days before <paramref name="to"/> (what retention deletes).</summary>
    public static RowKeyRange DaysBefore(DateOnly to) => new(DailyPrefix, $"{DailyPrefix}{to.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}");

    public static RollupPeriod PeriodOf(string rowKey) => rowKey.StartsWith(HourlyPrefix, StringComparison.Ordinal) ? RollupPeriod.Hourly
        : rowKey.StartsWith(DailyPrefix, StringComparison.Ordinal) ? RollupPeriod.Daily
        : throw new ArgumentException($"'{rowKey}' is not a rollup row key", nameof(rowKey));

    public static DateTimeOffset HourOf(string rowKey) =>
        DateTimeOffset.ParseExact(rowKey.AsSpan(HourlyPrefix.Length, 10), "yyyyMMddHH", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static DateOnly DayOf(string rowKey) =>
        DateOnly.ParseExact(rowKey.AsSpan(DailyPrefix.Length, 8), "yyyyMMdd", CultureInfo.InvariantCulture);

    public static string RegionOf(string rowKey) => rowKey[(rowKey.LastIndexOf('-') + 1)..];

    private static string Stamp(DateTimeOffset t, string format) => t.UtcDateTime.ToString(format, CultureInfo.InvariantCulture);
}
