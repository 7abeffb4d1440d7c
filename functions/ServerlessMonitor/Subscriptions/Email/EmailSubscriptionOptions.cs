using System.ComponentModel.DataAnnotations;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>
/// The email part of the <c>Subscriptions</c> section (docs/SUBSCRIPTIONS.md): the signing key of confirmation links,
/// the per-address limit, and SMTP settings used only when no operators' email channel exists
/// (<c>Notifications:Channels:*</c> of type email, whose server is then used).
/// </summary>
public sealed class EmailSubscriptionOptions : IValidatableObject
{
    public const string Section = "Subscriptions";

    public const int MinSigningKeyLength = 32;

    /// <summary>HMAC key of confirmation links and of the addresses' keyed hashes. The standalone host generates one when unset.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Confirmation mails one address gets per UTC day at most, however often the form is posted.</summary>
    [Range(1, 100)]
    public int ConfirmationsPerAddressPerDay { get; set; } = 3;

    /// <summary>How long a confirmation link works.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan ConfirmationLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the stored confirmation requests are swept besides when one is posted (a request left by a stopped instance, a retry).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ConfirmationSweep { get; set; } = TimeSpan.FromSeconds(30);

    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    /// <summary>StartTls, SslOnConnect or None, as the operators' email channel.</summary>
    public string SmtpSecurity { get; set; } = "StartTls";

    public string? SmtpUsername { get; set; }

    public string? SmtpPassword { get; set; }

    /// <summary>The sender of subscriber mails, e.g. <c>Status &lt;status@example.com&gt;</c>.</summary>
    public string? SmtpFrom { get; set; }

    /// <summary>Optional SHA-256 pin of the SMTP server's certificate (hex).</summary>
    public string? SmtpServerCertificateSha256 { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SigningKey is { Length: > 0 } key && key.Length < MinSigningKeyLength)
        {
            yield return new ValidationResult($"Subscriptions:SigningKey must be at least {MinSigningKeyLength} characters", [nameof(SigningKey)]);
        }
        if (!Enum.TryParse<Notifications.SmtpSecurity>(SmtpSecurity, ignoreCase: true, out _) || int.TryParse(SmtpSecurity, out _))
        {
            yield return new ValidationResult($"Subscriptions:SmtpSecurity: '{SmtpSecurity}' is not StartTls, SslOnConnect or None", [nameof(SmtpSecurity)]);
        }
        if (!string.IsNullOrWhiteSpace(SmtpHost) && !MimeKit.MailboxAddress.TryParse(SmtpFrom ?? "", out _))
        {
            yield return new ValidationResult("Subscriptions:SmtpFrom must be a mail address when Subscriptions:SmtpHost is set", [nameof(SmtpFrom)]);
        }
    }
}
