using System.Globalization;

namespace ServerlessMonitor.Reports;

/// <summary>
/// The surge rule, pure. Current = reports in the last three 5-minute buckets (the bucket of "now" and
/// the two before it: ~15 minutes). Usual level = the average of the same three buckets, at the same
/// UTC time of day, over the previous 7 days — quiet days count as 0, and seven days weigh every
/// weekday once. Surge = current ≥ max(minimum, factor × usual), from at least
/// <see cref="ReportsOptions.SurgeNetworks"/> distinct networks.
/// </summary>
public static class SurgeRule
{
    public const int BaselineDays = 7;
    public const int WindowBuckets = 3;

    /// <summary>Start of the current 15-minute window for "now".</summary>
    public static DateTimeOffset WindowStart(DateTimeOffset now) =>
        ReportRows.Floor(now, ReportRows.Bucket) - (WindowBuckets - 1) * ReportRows.Bucket;

    public static ReportSummary Evaluate(DateTimeOffset now, int current, int networks, IEnumerable<int> previousDays, ReportsOptions options)
    {
        var start = WindowStart(now);
        var usual = Math.Round(previousDays.Sum() / (double)BaselineDays, 2);
        var threshold = Math.Max(options.SurgeMinimum, Math.Round(options.SurgeFactor * usual, 2));
        var surge = current >= threshold && networks >= options.SurgeNetworks;
        return new ReportSummary(start, start + WindowBuckets * ReportRows.Bucket, current, usual, threshold, surge, Describe(options))
        {
            Networks = networks,
            NetworksNeeded = options.SurgeNetworks,
        };
    }

    public static string Describe(ReportsOptions options) => string.Create(CultureInfo.InvariantCulture,
        $"surge when the reports of the last 15 minutes reach max({options.SurgeMinimum}, {options.SurgeFactor} × usual) " +
        $"and come from at least {options.SurgeNetworks} networks (IPv4 /24, IPv6 /48); " +
        $"usual = average of the same 15 minutes of the day (UTC) over the previous {BaselineDays} days");
}

/// <summary>Reports of the current 15 minutes against the usual level for that time of day.</summary>
public sealed record ReportSummary(DateTimeOffset WindowStart, DateTimeOffset WindowEnd, int Reports, double Usual, double Threshold,
    bool Surge, string Rule)
{
    /// <summary>Distinct networks the current window's reports came from.</summary>
    public int Networks { get; init; }

    /// <summary>Distinct networks a surge needs (Reports:SurgeNetworks).</summary>
    public int NetworksNeeded { get; init; }
}
