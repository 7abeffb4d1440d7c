using System.ComponentModel.DataAnnotations;

namespace ServerlessMonitor.Notifications;

/// <summary>
/// The "Notifications" configuration section: channels that send people one message per service incident
/// (docs/NOTIFICATIONS.md). Secrets live here only (app settings), never in the catalog; they are never
/// logged or shown: errors name the setting, not its value.
/// </summary>
public sealed class NotificationsOptions : IValidatableObject
{
    public const string Section = "Notifications";

    /// <summary>
    /// How long a new service incident's first message waits for more of the service's endpoints to fail, so
    /// they join it. Null (the default): one cycle, i.e. endpoints failing in the same cycle share a message.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan? GroupWindow { get; set; }

    /// <summary>Failed attempts after which a channel's delivery is dead-lettered (listed and re-drivable by the admin API).</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 20;

    /// <summary>The channels by name; the name is what the admin API and the logs show.</summary>
    public Dictionary<string, ChannelOptions> Channels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, channel) in Channels)
        {
            if (!ChannelOptions.NamePattern().IsMatch(name))
            {
                yield return new ValidationResult($"Notifications:Channels:{name}: a channel name is letters, digits and '-' (at most 40)", [nameof(Channels)]);
            }
            foreach (var error in channel.Validate($"Notifications:Channels:{name}"))
            {
                yield return new ValidationResult(error, [nameof(Channels)]);
            }
        }
    }
}
