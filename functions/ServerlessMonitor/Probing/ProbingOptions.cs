using System.ComponentModel.DataAnnotations;

namespace ServerlessMonitor.Probing;

/// <summary>How probes behave, bound from the "Monitor" configuration section.</summary>
internal sealed class ProbingOptions
{
    public const string Section = "Monitor";

    /// <summary>Bodies are read up to this many bytes; the rest is never downloaded.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// A judged probe keeps at most this many bytes of its body, as a failure's evidence (a success keeps none):
    /// the whole body lives only while its conditions are judged.
    /// </summary>
    [Range(0, 64 * 1024)]
    public int KeepBodyBytes { get; set; } = 1024;

    /// <summary>
    /// Pooled connections are recycled after this long, so a DNS change or a renewed certificate is
    /// seen within this delay even for endpoints probed continuously.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Sent unless the endpoint sets its own User-Agent header.</summary>
    [Required]
    public string UserAgent { get; set; } = "ServerlessMonitor/1.0";
}
