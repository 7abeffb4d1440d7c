using System.ComponentModel.DataAnnotations;

namespace ServerlessMonitor.Hosting;

/// <summary>The "Monitor" configuration section (DESIGN §9).</summary>
public sealed class MonitorOptions
{
    public const string Section = "Monitor";

    /// <summary>Path of the catalog file; relative paths are tried from the working directory, then next to the app.</summary>
    [Required]
    public string Catalog { get; set; } = "monitors.json";

    /// <summary>The probing region this deployment writes results as.</summary>
    [Required, RegularExpression("^[a-z0-9][a-z0-9-]{0,30}$", ErrorMessage = "Monitor:Region must be lower-case letters, digits and '-'")]
    public string Region { get; set; } = "local";

    /// <summary>Names this installation in alert sources (/serverlessmonitor/{instance}).</summary>
    [Required, RegularExpression("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$", ErrorMessage = "Monitor:Instance must be letters, digits, '.', '_' and '-'")]
    public string Instance { get; set; } = "default";

    /// <summary>Six-field NCRONTAB (with seconds), as the Functions timer trigger uses.</summary>
    [Required]
    public string ProbeSchedule { get; set; } = "*/30 * * * * *";

    /// <summary>When RetentionTimer deletes old raw results (daily, at a quiet hour by default).</summary>
    [Required]
    public string RetentionSchedule { get; set; } = "0 15 3 * * *";

    [Range(1, 512)]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>
    /// Regions that must see an endpoint down for a global outage; 0 = all regions that report.
    /// Fewer regions down than this is a regional (partial) outage.
    /// </summary>
    [Range(0, 64)]
    public int DownQuorum { get; set; }

    /// <summary>Delay before the one retry that confirms a failed probe.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan ConfirmationDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Due endpoints per probe shard. A cycle is planned as shards of at most this many endpoints (a service's
    /// endpoints stay together); on Azure Functions a cycle of more than one shard goes out on the
    /// "probe-shards" queue for ProbeShard instances, in process the shards run from a bounded channel.
    /// </summary>
    [Range(10, 500)]
    public int ShardSize { get; set; } = 250;
}
