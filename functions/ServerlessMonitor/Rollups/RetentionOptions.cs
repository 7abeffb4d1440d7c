using System.ComponentModel.DataAnnotations;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Rollups;

/// <summary>
/// How long each kind of history is kept (the "Monitor" section; DESIGN §5, retention like the field): raw results briefly,
/// results that failed or changed the status about a year, hourly rollups a month, daily rollups (uptime bars, the
/// year's comparison) 400 days. The RetentionTimer enforces them.
/// </summary>
public sealed class RetentionOptions : IValidatableObject
{
    /// <summary>Every check's result row.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00", ErrorMessage = "Monitor:RawRetention must be from 01:00:00 to 3650.00:00:00")]
    public TimeSpan RawRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Result rows of checks that failed (down, degraded) or changed the status.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00", ErrorMessage = "Monitor:EventRetention must be from 01:00:00 to 3650.00:00:00")]
    public TimeSpan EventRetention { get; set; } = TimeSpan.FromDays(400);

    [Range(typeof(TimeSpan), "2.00:00:00", "3650.00:00:00", ErrorMessage = "Monitor:HourlyRollupRetention must be from 2.00:00:00 to 3650.00:00:00")]
    public TimeSpan HourlyRollupRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>At least a year and a day: the comparison table and the uptime bars read a year of daily rows.</summary>
    [Range(typeof(TimeSpan), "366.00:00:00", "3650.00:00:00", ErrorMessage = "Monitor:DailyRollupRetention must be from 366.00:00:00 to 3650.00:00:00")]
    public TimeSpan DailyRollupRetention { get; set; } = TimeSpan.FromDays(400);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EventRetention < RawRetention)
        {
            yield return new ValidationResult(
                $"Monitor:EventRetention ({EventRetention}) must not be shorter than Monitor:RawRetention ({RawRetention}): failed checks are raw results too",
                [nameof(EventRetention)]);
        }
    }

    /// <summary>What the store still holds at <paramref name="now"/>: every result from RawFrom, only failures and status changes from EventsFrom.</summary>
    public (DateTimeOffset RawFrom, DateTimeOffset EventsFrom) RetainedAt(DateTimeOffset now) => (now - RawRetention, now - EventRetention);
}
