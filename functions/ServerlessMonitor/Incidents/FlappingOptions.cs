using System.ComponentModel.DataAnnotations;

namespace ServerlessMonitor.Incidents;

/// <summary>
/// The "Monitor:Flapping" section: when an endpoint's status changes too often to alert on each change.
/// The defaults call it flapping at the 5th change within 30 minutes (with the default thresholds and a
/// one-minute interval that is an endpoint failing for a few minutes over and over), and over after 15
/// minutes without a change: twice the longest average gap between changes that still counts as flapping.
/// </summary>
public sealed class FlappingOptions : IValidatableObject
{
    public const string Section = "Monitor:Flapping";

    /// <summary>More status changes than this within <see cref="Window"/> is flapping; 0 turns detection off.</summary>
    public int Changes { get; set; } = 4;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long the status must stay put before a flapping endpoint counts as settled again.</summary>
    public TimeSpan StablePeriod { get; set; } = TimeSpan.FromMinutes(15);

    public FlapSettings Settings => Changes == 0 ? FlapSettings.Off : new FlapSettings(Changes, Window, StablePeriod);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Changes is 1 or < 0 or > 100)
        {
            // One change too many at 1 would be a single outage: down, then recovered.
            yield return new ValidationResult($"{Section}:Changes must be 0 (off) or 2 to 100 (got {Changes})", [nameof(Changes)]);
        }
        foreach (var (name, value) in new[] { (nameof(Window), Window), (nameof(StablePeriod), StablePeriod) })
        {
            if (value < TimeSpan.FromMinutes(1) || value > TimeSpan.FromDays(1))
            {
                yield return new ValidationResult($"{Section}:{name} must be between 00:01:00 and 1.00:00:00 (got {value})", [name]);
            }
        }
    }
}
