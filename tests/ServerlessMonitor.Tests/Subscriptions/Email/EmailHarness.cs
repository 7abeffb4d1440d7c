using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using ServerlessMonitor.Subscriptions.Email;
using ServerlessMonitor.Tests.Notifications;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Subscriptions.Email;

/// <summary>Settings that point email subscriptions at a test's <see cref="SmtpLab"/>, and waits on what the app sends.</summary>
public static partial class EmailHarness
{
    public const string From = "Status <status@example.com>";

    public static Dictionary<string, string?> Settings(SmtpLab smtp) => new()
    {
        ["Alerts:StatusPageUrl"] = "http://127.0.0.1/",
        ["Subscriptions:SmtpHost"] = "127.0.0.1",
        ["Subscriptions:SmtpPort"] = smtp.StartTlsPort.ToString(CultureInfo.InvariantCulture),
        ["Subscriptions:SmtpSecurity"] = "StartTls",
        ["Subscriptions:SmtpUsername"] = SmtpLab.User,
        ["Subscriptions:SmtpPassword"] = SmtpLab.Password,
        ["Subscriptions:SmtpFrom"] = From,
        ["Subscriptions:SmtpServerCertificateSha256"] = smtp.Sha256,
    };

    /// <summary>Waits until the app's confirmation mailer has taken <paramref name="count"/> form posts off its queue.</summary>
    public static async Task HandledAsync(this MonitorAppFactory app, long count)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.Services.GetRequiredService<ConfirmationMailer>().WaitForHandledAsync(count, cts.Token);
    }

    public static async Task<MimeMessage> WaitForMailAsync(this SmtpLab smtp, Func<MimeMessage, bool> match)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (smtp.Messages.FirstOrDefault(match) is { } found)
            {
                return found;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no matching mail within 60 s; got: {string.Join(" | ", smtp.Messages.Select(m => m.Subject))}");
    }

    /// <summary>The confirmation link of a mail, as path and query on the app.</summary>
    public static string ConfirmLink(MimeMessage message) =>
        new Uri(LinkPattern().Match(message.TextBody ?? "").Value).PathAndQuery;

    [GeneratedRegex(@"http://127\.0\.0\.1/api/subscriptions/email/confirm\?token=\S+")]
    private static partial Regex LinkPattern();
}
