using MimeKit;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Notifications.Channels;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Notifications;

/// <summary>The email channel (MailKit) against a real SMTP server requiring TLS and a login.</summary>
public class EmailChannelTests
{
    private static ChannelOptions Options(SmtpLab smtp, SmtpSecurity security, string? password = SmtpLab.Password) => new()
    {
        Type = "email",
        Host = "127.0.0.1",
        Port = security == SmtpSecurity.SslOnConnect ? smtp.ImplicitTlsPort : smtp.StartTlsPort,
        Security = security.ToString(),
        Username = SmtpLab.User,
        Password = password,
        From = "Monitor <monitor@example.com>",
        To = ["oncall@example.com", "ops@example.com"],
        ServerCertificateSha256 = smtp.Sha256,
    };

    [Theory]
    [InlineData(SmtpSecurity.StartTls)]
    [InlineData(SmtpSecurity.SslOnConnect)]
    public async Task Send_OverTlsWithLogin_MultipartTextAndHtmlReceived(SmtpSecurity security)
    {
        var clock = new ManualClock();
        await using var smtp = SmtpLab.Start(clock.GetUtcNow());

        await new EmailSender(Options(smtp, security), clock).SendAsync(ChannelRig.Small(), CancellationToken.None);

        var message = Assert.Single(smtp.Messages);
        Assert.Equal("TikTok is down", message.Subject);
        Assert.Equal(["oncall@example.com", "ops@example.com"], message.To.Mailboxes.Select(m => m.Address));
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Contains("likely cause: server errors", message.TextBody);
        Assert.Contains("<a href=\"https://status.example.com/#tiktok\">Status page</a>", message.HtmlBody);
        Assert.Equal("incident-42", message.Headers["X-ServerlessMonitor-Incident"]);
    }

    [Fact]
    public async Task Send_WrongPassword_ErrorNamesTheRefusalNotThePassword()
    {
        var clock = new ManualClock();
        await using var smtp = SmtpLab.Start(clock.GetUtcNow());

        var e = await Assert.ThrowsAsync<AlertDeliveryException>(() =>
            new EmailSender(Options(smtp, SmtpSecurity.StartTls, "wrong-secret-password"), clock).SendAsync(ChannelRig.Small(), CancellationToken.None));

        Assert.Contains("AuthenticationException", e.Message);
        Assert.DoesNotContain("wrong-secret-password", e.Message);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task Send_PinnedCertificateExpiredByTheMonitorsClock_Refused()
    {
        var clock = new ManualClock();
        await using var smtp = SmtpLab.Start(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(31));

        var e = await Assert.ThrowsAsync<AlertDeliveryException>(() =>
            new EmailSender(Options(smtp, SmtpSecurity.SslOnConnect), clock).SendAsync(ChannelRig.Small(), CancellationToken.None));

        Assert.Contains("SslHandshakeException", e.Message);
        Assert.Empty(smtp.Messages);
    }
}
