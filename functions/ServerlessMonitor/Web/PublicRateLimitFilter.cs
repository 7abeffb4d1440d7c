using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Api;
using ServerlessMonitor.Reports;

namespace ServerlessMonitor.Web;

/// <summary>The "Web" configuration section.</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>Requests per minute one client address may make to the public API and the status page.</summary>
    [Range(1, 100_000_000)]
    public int RequestsPerMinute { get; set; } = 300;

    /// <summary>
    /// How often an instance asks a shared store (Table Storage) whether another instance published a newer
    /// snapshot; requests keep the current one meanwhile.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SnapshotRefresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Bytes (answers with their gzip and Brotli variants) the per-version cache of the other public reads may hold.</summary>
    [Range(1024 * 1024, 1024L * 1024 * 1024)]
    public long ReadCacheBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>A figure measured over less than this share of its window is shown with its actual span ("99.2% over 3 h measured").</summary>
    [Range(0.0, 1.0)]
    public double MinCoverage { get; set; } = 0.8;

    /// <summary>Up to this many services the home page shows each in full; beyond, a compact list with each service on its own page.</summary>
    [Range(1, 100_000)]
    public int PageServices { get; set; } = 50;

    /// <summary>Rows per page of the compact list (see <see cref="PageServices"/>).</summary>
    [Range(10, 1000)]
    public int PageSize { get; set; } = 100;
}

/// <summary>
/// A per-address limit shared by every public route (status page and /api), on top of the stricter limit
/// on report submissions. Liveness and the admin API (which needs a key) are exempt.
/// </summary>
internal sealed class PublicRateLimitFilter(ClientIdentity clients, IOptions<WebOptions> options) : AddressRateLimitFilter
{
    protected override int Permits => options.Value.RequestsPerMinute;

    protected override TimeSpan Window => TimeSpan.FromMinutes(1);

    protected override string Title => "Too many requests";

    protected override string AddressOf(HttpContext http) => clients.AddressOf(http);

    protected override string Detail(int retryAfterSeconds) => $"Too many requests from one address. Try again in {retryAfterSeconds} s.";
}
