using Microsoft.Extensions.Options;
using ServerlessMonitor.Notifications;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>An SMTP server to send subscriber mail through. <see cref="Password"/> is a secret: never logged.</summary>
public sealed record SmtpSettings(string Host, int Port, SmtpSecurity Security, string? Username, string? Password, string From, string? CertificateSha256);

/// <summary>
/// Where subscriber mail goes out: the operators' email channel's server when one is configured (the first, by name), so
/// one SMTP account serves both; otherwise <c>Subscriptions:Smtp*</c>; null when neither is set (email subscriptions off).
/// </summary>
public sealed class SubscriberSmtp(IOptions<NotificationsOptions> notifications, IOptions<EmailSubscriptionOptions> options)
{
    public SmtpSettings? Settings => FromChannel() ?? FromOwn();

    private SmtpSettings? FromChannel()
    {
        var channel = notifications.Value.Channels.OrderBy(c => c.Key, StringComparer.OrdinalIgnoreCase)
            .Select(c => c.Value).FirstOrDefault(c => string.Equals(c.Type, "email", StringComparison.OrdinalIgnoreCase));
        return channel is { Host: { Length: > 0 } host, From: { Length: > 0 } from }
            ? new SmtpSettings(host, channel.Port, Enum.Parse<SmtpSecurity>(channel.Security, ignoreCase: true), channel.Username, channel.Password, from,
                channel.ServerCertificateSha256)
            : null;
    }

    private SmtpSettings? FromOwn()
    {
        var o = options.Value;
        return o is { SmtpHost: { Length: > 0 } host, SmtpFrom: { Length: > 0 } from }
            ? new SmtpSettings(host, o.SmtpPort, Enum.Parse<SmtpSecurity>(o.SmtpSecurity, ignoreCase: true), o.SmtpUsername, o.SmtpPassword, from,
                o.SmtpServerCertificateSha256)
            : null;
    }
}
