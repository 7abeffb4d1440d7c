using ServerlessMonitor.Probing;
using ServerlessMonitor.Storage;

namespace ServerlessMonitor.Rollups;

/// <summary>
/// Counts of checks by outcome plus a fixed-bucket latency histogram: enough for uptime and
/// response-time percentiles of any window without reading raw results. Sums of rollups are rollups.
/// </summary>
public sealed record RollupTotals(long Up, long Degraded, long Down, long Maintenance, double LatencySumMs, long[] Histogram)
{
    /// <summary>Upper bounds (ms) of the latency buckets; the last bucket is open-ended.</summary>
    public static readonly int[] BucketBounds = [50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000];

    // Property names of the histogram buckets, made once.
    private static readonly string[] BucketNames = [.. Enumerable.Range(0, BucketBounds.Length + 1).Select(i => $"H{i}")];

    public static RollupTotals Empty => new(0, 0, 0, 0, 0, new long[BucketBounds.Length + 1]);

    public static RollupTotals Sum(IEnumerable<RollupTotals> totals) => totals.Aggregate(Empty, (a, t) => a.Add(t));

    /// <summary>A service is as available as its weakest endpoint: the lower of two uptimes, ignoring unknowns.</summary>
    public static double? WorstUptime(double? a, double? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    /// <summary>Checks that count for uptime; maintenance is planned and left out.</summary>
    public long Checks => Up + Degraded + Down;

    /// <summary>Share of checks that were up or degraded (the service answered); null with no checks.</summary>
    public double? Uptime => Checks == 0 ? null : (double)(Up + Degraded) / Checks;

    public double? AverageMs => LatencyCount == 0 ? null : LatencySumMs / LatencyCount;

    public long LatencyCount => Histogram.Sum();

    public RollupTotals Add(RollupTotals o)
    {
        var h = new long[Histogram.Length];
        for (var i = 0; i < h.Length; i++)
        {
            h[i] = Histogram[i] + o.Histogram[i];
        }
        return new(Up + o.Up, Degraded + o.Degraded, Down + o.Down, Maintenance + o.Maintenance, LatencySumMs + o.LatencySumMs, h);
    }

    /// <summary>This sum without <paramref name="o"/>, a part of it (a day that left a window).</summary>
    public RollupTotals Subtract(RollupTotals o)
    {
        var h = new long[Histogram.Length];
        for (var i = 0; i < h.Length; i++)
        {
            h[i] = Histogram[i] - o.Histogram[i];
        }
        return new(Up - o.Up, Degraded - o.Degraded, Down - o.Down, Maintenance - o.Maintenance, LatencySumMs - o.LatencySumMs, h);
    }

    public RollupTotals Record(ProbeOutcome outcome, bool maintenance, long responseMs, bool answered)
    {
        var h = (long[])Histogram.Clone();
        if (answered)
        {
            h[BucketOf(responseMs)]++;
        }
        return this with
        {
            Up = Up + (!maintenance && outcome == ProbeOutcome.Up ? 1 : 0),
            Degraded = Degraded + (!maintenance && outcome == ProbeOutcome.Degraded ? 1 : 0),
            Down = Down + (!maintenance && outcome == ProbeOutcome.Down ? 1 : 0),
            Maintenance = Maintenance + (maintenance ? 1 : 0),
            LatencySumMs = LatencySumMs + (answered ? responseMs : 0),
            Histogram = h,
        };
    }

    /// <summary>
    /// Percentile by linear interpolation inside the bucket that holds it (bucket width bounds the
    /// error: fine for "p95 ≈ 420 ms", not for microbenchmarks).
    /// </summary>
    public double? Percentile(double p)
    {
        var total = LatencyCount;
        if (total == 0)
        {
            return null;
        }
        var rank = p / 100 * total;
        long seen = 0;
        for (var i = 0; i < Histogram.Length; i++)
        {
            if (Histogram[i] == 0)
            {
                continue;
            }
            if (seen + Histogram[i] >= rank)
            {
                var lower = i == 0 ? 0 : BucketBounds[i - 1];
                var upper = i < BucketBounds.Length ? BucketBounds[i] : BucketBounds[^1] * 2;
                return lower + (upper - lower) * Math.Clamp((rank - seen) / Histogram[i], 0, 1);
            }
            seen += Histogram[i];
        }
        return BucketBounds[^1] * 2;
    }

    public static int BucketOf(long ms)
    {
        var i = 0;
        while (i < BucketBounds.Length && ms >= BucketBounds[i])
        {
            i++;
        }
        return i;
    }

    public Dictionary<string, object?> ToProperties()
    {
        var p = new Dictionary<string, object?>(5 + Histogram.Length)
        {
            ["Up"] = Up,
            ["Degraded"] = Degraded,
            ["Down"] = Down,
            ["Maintenance"] = Maintenance,
            ["LatencySumMs"] = LatencySumMs,
        };
        for (var i = 0; i < Histogram.Length; i++)
        {
            p[BucketNames[i]] = Histogram[i];
        }
        return p;
    }

    public static RollupTotals FromEntity(TableEntity e)
    {
        var h = new long[BucketBounds.Length + 1];
        for (var i = 0; i < h.Length; i++)
        {
            h[i] = e.GetInt64(BucketNames[i]);
        }
        return new(e.GetInt64("Up"), e.GetInt64("Degraded"), e.GetInt64("Down"), e.GetInt64("Maintenance"), e.GetDouble("LatencySumMs") ?? 0, h);
    }
}
