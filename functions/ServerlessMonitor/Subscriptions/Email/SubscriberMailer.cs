using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using ServerlessMonitor.Notifications;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>How one send ended: taken, refused for good for this recipient (a 5xx answer to RCPT TO), or to be retried.</summary>
public enum MailOutcome
{
    Sent,
    RecipientRejected,
    Failed,
}

/// <summary>
/// Sends one subscriber mail over SMTP with MailKit (STARTTLS, implicit TLS or plain; login when a user name is set;
/// optional certificate pin). Failures are returned, not thrown, with a reason that names neither the recipient nor the password.
/// </summary>
public sealed class SubscriberMailer(TimeProvider time)
{
    public async Task<(MailOutcome Outcome, string? Reason)> SendAsync(SmtpSettings smtp, MimeMessage message, CancellationToken ct)
    {
        using var client = new SmtpClient { Timeout = 10_000 };
        if (!string.IsNullOrWhiteSpace(smtp.CertificateSha256))
        {
            client.ServerCertificateValidationCallback = (_, certificate, _, _) => Pinned(smtp.CertificateSha256!, certificate);
        }
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, Security(smtp.Security), ct);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(new NetworkCredential(smtp.Username, smtp.Password), ct);
            }
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(quit: true, ct);
            return (MailOutcome.Sent, null);
        }
        catch (SmtpCommandException e) when (e.ErrorCode == SmtpErrorCode.RecipientNotAccepted && (int)e.StatusCode >= 500)
        {
            return (MailOutcome.RecipientRejected, $"recipient refused: {(int)e.StatusCode}");
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or AuthenticationException or SslHandshakeException
            or IOException or System.Net.Sockets.SocketException or ServiceNotConnectedException)
        {
            // The server's own text can quote the recipient; only the type and status code are kept.
            return (MailOutcome.Failed, e is SmtpCommandException c ? $"{e.GetType().Name} {(int)c.StatusCode}" : e.GetType().Name);
        }
    }

    private static SecureSocketOptions Security(SmtpSecurity security) => security switch
    {
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };

    private bool Pinned(string pin, X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }
        using var cert = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var now = time.GetUtcNow().UtcDateTime;
        return string.Equals(Convert.ToHexString(SHA256.HashData(cert.RawData)), pin.Replace(":", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)
            && cert.NotBefore.ToUniversalTime() <= now && now <= cert.NotAfter.ToUniversalTime();
    }
}
