using System.ComponentModel.DataAnnotations;

namespace ServerlessMonitor.Reports;

/// <summary>The "Reports" configuration section: user problem reports, their rate limit and the surge rule.</summary>
public sealed class ReportsOptions
{
    public const string Section = "Reports";

    /// <summary>Report POSTs one client address may make per <see cref="Window"/>; more are answered 429.</summary>
    [Range(1, 100_000)]
    public int PermitLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A surge needs at least this many reports in 15 minutes, however quiet the usual level is.</summary>
    [Range(1, 100_000)]
    public int SurgeMinimum { get; set; } = 5;

    /// <summary>A surge is this many times the usual level for the time of day.</summary>
    [Range(1.0, 1000.0)]
    public double SurgeFactor { get; set; } = 3;

    /// <summary>
    /// A surge also needs reports from this many distinct networks (IPv4 /24, IPv6 /48): one client rotating
    /// its User-Agent counts as many reporters, but never as many networks.
    /// </summary>
    [Range(1, ReportRows.MaxNetworksPerBucket)]
    public int SurgeNetworks { get; set; } = 3;

    /// <summary>
    /// Origins (<c>https://partner.example</c>) whose pages may post reports from a browser, besides the
    /// status page's own origin. Everything else with an Origin header is refused (403).
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Latest messages kept per 5-minute bucket (older ones are dropped, the counts stay).</summary>
    [Range(0, 50)]
    public int MessagesPerBucket { get; set; } = 20;

    /// <summary>
    /// Take the client address from the rightmost X-Forwarded-For entry when the request comes from a
    /// loopback peer (the Functions host in front of the custom handler). Null = on when hosted, off standalone.
    /// </summary>
    public bool? TrustForwardedFor { get; set; }

    /// <summary>
    /// Secret mixed into client fingerprints. Empty = a random per-install salt kept in the Reports table,
    /// shared by every instance that uses the same storage.
    /// </summary>
    [MinLength(16)]
    public string? ClientSalt { get; set; }
}
