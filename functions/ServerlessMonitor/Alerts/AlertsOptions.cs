using System.ComponentModel.DataAnnotations;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Alerts;

/// <summary>The "Alerts" configuration section (DESIGN §9). Secrets are never logged or echoed in errors.</summary>
public sealed class AlertsOptions : IValidatableObject
{
    public const string Section = "Alerts";

    /// <summary>When AlertsTimer re-dispatches failed deliveries (six-field NCRONTAB; every minute by default).</summary>
    public string Schedule { get; set; } = "0 * * * * *";

    /// <summary>Direct CloudEvents webhooks, for deployments without Event Grid.</summary>
    public List<WebhookOptions> Webhooks { get; set; } = [];

    /// <summary>Undelivered alerts older than this are dead-lettered: a day-old "down" is noise, not news.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>When set, the incident writer repeats <c>Endpoint.StillDown</c> at this interval; null = off.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan? ReminderInterval { get; set; }

    /// <summary>A certificate expiring within this period raises Certificate.Expiring, once per certificate.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan CertificateWarning { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Public base URL of the status page, for links in alert data.</summary>
    public Uri? StatusPageUrl { get; set; }

    /// <summary>First retry delay; doubles per failed attempt up to <see cref="BackoffMax"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Delivered rows are deleted after this long (dead rows are kept for inspection).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan KeepDelivered { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Sent as WebHook-Request-Origin in the webhook handshake; defaults to WEBSITE_HOSTNAME or "serverlessmonitor".</summary>
    [RegularExpression("^[A-Za-z0-9.-]{1,253}$", ErrorMessage = "Alerts:WebhookOrigin must be a host name")]
    public string? WebhookOrigin { get; set; }

    /// <summary>Webhook entries left blank (as in local.settings.example.json) are placeholders, not subscribers.</summary>
    public IEnumerable<WebhookOptions> ActiveWebhooks => Webhooks.Where(w => !w.IsPlaceholder);

    /// <summary>Link to a service on the status page, or null when no status page URL is configured.</summary>
    public string? StatusLink(string service) =>
        StatusPageUrl is null ? null : $"{StatusPageUrl.AbsoluteUri.TrimEnd('/')}/#{Uri.EscapeDataString(service)}";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimerSchedule.IsValid(Schedule))
        {
            yield return new ValidationResult($"Alerts:Schedule {TimerSchedule.Hint}", [nameof(Schedule)]);
        }
        if (BackoffMax < BackoffBase)
        {
            yield return new ValidationResult("Alerts:BackoffMax must not be shorter than Alerts:BackoffBase", [nameof(BackoffMax)]);
        }
        if (StatusPageUrl is { } page && !IsHttpUrl(page.OriginalString))
        {
            yield return new ValidationResult("Alerts:StatusPageUrl: not an absolute http(s) URL", [nameof(StatusPageUrl)]);
        }
        for (var i = 0; i < Webhooks.Count; i++)
        {
            var hook = Webhooks[i];
            if (hook.IsPlaceholder)
            {
                continue;
            }
            var path = $"Alerts:Webhooks:{i}";
            if (!IsHttpUrl(hook.Url))
            {
                yield return new ValidationResult($"{path}:Url: not an absolute http(s) URL", [nameof(Webhooks)]);
            }
            for (var t = 0; t < (hook.Types?.Count ?? 0); t++)
            {
                if (!AlertTypes.All.Contains(hook.Types![t]))
                {
                    yield return new ValidationResult(
                        $"{path}:Types:{t}: unknown event type '{hook.Types[t]}' (known: {string.Join(", ", AlertTypes.All)})", [nameof(Webhooks)]);
                }
            }
        }
    }

    internal static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

/// <summary>One direct webhook subscriber.</summary>
public sealed class WebhookOptions
{
    public string Url { get; set; } = "";

    /// <summary>Event types to send; empty = all.</summary>
    public List<string>? Types { get; set; }

    /// <summary>Only events whose subject starts with this (case-insensitive, like Event Grid's subjectBeginsWith).</summary>
    public string? SubjectPrefix { get; set; }

    /// <summary>When set, every body is signed with HMAC-SHA256 in X-ServerlessMonitor-Signature.</summary>
    public string? Secret { get; set; }

    internal bool IsPlaceholder => string.IsNullOrWhiteSpace(Url) && string.IsNullOrEmpty(Secret) &&
        (Types is null || Types.Count == 0) && string.IsNullOrEmpty(SubjectPrefix);
}
