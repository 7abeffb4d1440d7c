using System.ComponentModel.DataAnnotations;

namespace ServerlessMonitor.Alerts;

/// <summary>The "EventGrid" configuration section: the custom topic alerts are published to.</summary>
public sealed class EventGridOptions : IValidatableObject
{
    public const string Section = "EventGrid";

    /// <summary>Topic endpoint, e.g. https://topic.westeurope-1.eventgrid.azure.net/api/events. Unset = no Event Grid.</summary>
    public Uri? TopicEndpoint { get; set; }

    /// <summary>Access key; without it the managed identity is used (EventGrid Data Sender role).</summary>
    public string? TopicKey { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty = DefaultAzureCredential's choice.</summary>
    public string? ManagedIdentityClientId { get; set; }

    // An empty app setting binds to an empty relative Uri; treat it as "not configured".
    public bool IsConfigured => TopicEndpoint is { OriginalString.Length: > 0 };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsConfigured)
        {
            var uri = TopicEndpoint!;
            // Plain http is only for a local emulator or test receiver: keys and tokens must not cross a network in clear.
            if (!uri.IsAbsoluteUri || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            {
                yield return new ValidationResult("EventGrid:TopicEndpoint: not an absolute https URL", [nameof(TopicEndpoint)]);
            }
        }
        else if (!string.IsNullOrEmpty(TopicKey))
        {
            yield return new ValidationResult("EventGrid:TopicKey is set but EventGrid:TopicEndpoint is not", [nameof(TopicKey)]);
        }
    }
}
