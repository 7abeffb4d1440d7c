using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using ServerlessMonitor.Alerts;

namespace ServerlessMonitor.Notifications.Channels;

/// <summary>
/// Email over SMTP with MailKit: STARTTLS (587), implicit TLS (465) or plain, with login when a user name is set —
/// what Azure Communication Services' SMTP relay, SendGrid and Microsoft 365 expect. One multipart/alternative
/// message (text and HTML) to every address in To.
/// </summary>
internal sealed class EmailSender(ChannelOptions options, TimeProvider time) : IChannelSender
{
    public string Display => $"email {options.Host}:{options.Port}";

    public async Task SendAsync(NotificationMessage m, CancellationToken ct)
    {
        var message = Build(options, m);
        using var smtp = new SmtpClient { Timeout = 10_000 };
        if (!string.IsNullOrWhiteSpace(options.ServerCertificateSha256))
        {
            smtp.ServerCertificateValidationCallback = Pinned;
        }
        try
        {
            await smtp.ConnectAsync(options.Host!, options.Port, Security(options), ct);
            if (!string.IsNullOrEmpty(options.Username))
            {
                await smtp.AuthenticateAsync(new NetworkCredential(options.Username, options.Password), ct);
            }
            await smtp.SendAsync(message, ct);
            await smtp.DisconnectAsync(quit: true, ct);
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or AuthenticationException or SslHandshakeException
            or IOException or System.Net.Sockets.SocketException or ServiceNotConnectedException)
        {
            var answer = e is SmtpCommandException c ? $"{(int)c.StatusCode} {c.Message}" : e.Message;
            throw new AlertDeliveryException($"{Display}: {e.GetType().Name}: {ChannelText.Scrub(answer, [options.Password, options.Username])}");
        }
    }

    internal static MimeMessage Build(ChannelOptions options, NotificationMessage m)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From!));
        message.To.AddRange(options.To.Select(MailboxAddress.Parse));
        message.Subject = ChannelText.Truncate(m.Title, 200);
        message.Date = m.Time;
        // Replies and clients group the messages of one incident by this thread.
        message.Headers.Add("X-ServerlessMonitor-Incident", m.DedupKey);
        var text = m.Text + "\n\n" + string.Concat(m.Facts.Select(f => $"{f.Label}: {f.Value}\n")) + (m.Link is { } l ? $"\n{l}\n" : "");
        var html = $"<h2>{WebUtility.HtmlEncode(m.Title)}</h2><p>{WebUtility.HtmlEncode(m.Text)}</p><table>"
            + string.Concat(m.Facts.Select(f => $"<tr><th align=\"left\">{WebUtility.HtmlEncode(f.Label)}</th><td>{WebUtility.HtmlEncode(f.Value)}</td></tr>"))
            + "</table>" + (m.Link is { } link ? $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">Status page</a></p>" : "");
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        return message;
    }

    private static SecureSocketOptions Security(ChannelOptions options) => Enum.Parse<SmtpSecurity>(options.Security, ignoreCase: true) switch
    {
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };

    /// <summary>The pinned certificate, and only while it is valid by the monitor's clock.</summary>
    private bool Pinned(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }
        using var cert = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var now = time.GetUtcNow();
        var pin = options.ServerCertificateSha256!.Replace(":", "", StringComparison.Ordinal);
        return string.Equals(Convert.ToHexString(SHA256.HashData(cert.RawData)), pin, StringComparison.OrdinalIgnoreCase)
            && cert.NotBefore.ToUniversalTime() <= now.UtcDateTime && now.UtcDateTime <= cert.NotAfter.ToUniversalTime();
    }
}
