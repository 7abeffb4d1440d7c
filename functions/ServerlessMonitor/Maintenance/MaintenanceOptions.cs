using System.ComponentModel.DataAnnotations;

namespace ServerlessMonitor.Maintenance;

/// <summary>The "Maintenance" configuration section: how far ahead planned maintenance is shown and announced.</summary>
public sealed class MaintenanceOptions
{
    public const string Section = "Maintenance";

    /// <summary>
    /// A window is shown on the status page and announced (Service.MaintenanceScheduled) this long before it starts;
    /// zero: not ahead, only when it starts.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00",
        ErrorMessage = "Maintenance:AnnounceBefore must be between 00:00:00 and 30.00:00:00 (days.hh:mm:ss)")]
    public TimeSpan AnnounceBefore { get; set; } = TimeSpan.FromHours(48);
}
