using System.Net;
using MimeKit;

namespace ServerlessMonitor.Subscriptions.Email;

/// <summary>The mails of the email flow, each multipart/alternative (plain text first, then HTML), every text encoded.</summary>
public static class EmailMessages
{
    /// <summary>The double opt-in mail: one link that leads to a confirm button. No subscription exists yet, so there is nothing to unsubscribe from.</summary>
    public static MimeMessage Confirmation(string from, string to, string serviceName, string link, TimeSpan lifetime, DateTimeOffset now)
    {
        var what = serviceName == "*" ? "all services" : serviceName;
        var hours = (int)Math.Round(lifetime.TotalHours);
        var text = $"Someone (hopefully you) asked to get status updates about {what} at this address.\n\n"
            + $"To confirm, open this link within {hours} hours and press the button:\n{link}\n\n"
            + "If it was not you, ignore this mail: without confirmation nothing is sent and the address is not kept.\n";
        var html = $"<p>Someone (hopefully you) asked to get status updates about <strong>{Html(what)}</strong> at this address.</p>"
            + $"<p><a href=\"{Html(link)}\">Confirm the subscription</a> (within {hours} hours).</p>"
            + "<p>If it was not you, ignore this mail: without confirmation nothing is sent and the address is not kept.</p>";
        return Build(from, to, $"Confirm status updates about {what}", text, html, now);
    }

    /// <summary>A subscriber's message, with RFC 8058 one-click unsubscribe and the stable delivery id as Message-Id.</summary>
    public static MimeMessage Notification(string from, string to, SubscriberMessage m, string unsubscribeUrl, string deliveryId)
    {
        var text = $"{m.Text}\n\n" + (m.Link is { } l ? $"Status page: {l}\n" : "") + $"\nUnsubscribe: {unsubscribeUrl}\n";
        var html = $"<h2>{Html(m.Title)}</h2><p>{Html(m.Text)}</p>" + (m.Link is { } link ? $"<p><a href=\"{Html(link)}\">Status page</a></p>" : "")
            + $"<p style=\"color:#666;font-size:12px\"><a href=\"{Html(unsubscribeUrl)}\">Unsubscribe</a></p>";
        var message = Build(from, to, m.Title, text, html, m.Time);
        message.MessageId = $"{deliveryId}@serverlessmonitor";
        message.Headers.Add("List-Unsubscribe", $"<{unsubscribeUrl}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Headers.Add("List-Id", $"{m.ServiceName} status <{m.Service.Replace('*', '_')}.status.serverlessmonitor>");
        message.Headers.Add("Auto-Submitted", "auto-generated");
        return message;
    }

    private static MimeMessage Build(string from, string to, string subject, string text, string html, DateTimeOffset date)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject.Length > 200 ? subject[..200] : subject;
        message.Date = date;
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        return message;
    }

    private static string Html(string s) => WebUtility.HtmlEncode(s);
}
