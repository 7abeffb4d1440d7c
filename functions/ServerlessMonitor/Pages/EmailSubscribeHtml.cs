using System.Globalization;
using System.Text;
using ServerlessMonitor.Subscriptions.Email;
using static ServerlessMonitor.Pages.SvgCharts;

namespace ServerlessMonitor.Pages;

/// <summary>
/// The service section's "Email me" form: a plain form post (no script needed) to the double opt-in route, answered
/// with a page that reads the same for every address. Shown only when email subscriptions are configured.
/// </summary>
internal static class EmailSubscribeHtml
{
    public static void Append(StringBuilder sb, string serviceId, string serviceName, bool enabled)
    {
        if (!enabled)
        {
            return;
        }
        var id = Html(serviceId);
        sb.Append(CultureInfo.InvariantCulture, $"<form class=\"subscribe-email\" method=\"post\" action=\"{EmailSubscribeApi.SubscribePath}\" aria-label=\"Email updates about {Html(serviceName)}\">")
          .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"service\" value=\"{id}\">")
          .Append(CultureInfo.InvariantCulture, $"<label for=\"email-{id}\">Email me when {Html(serviceName)} goes down or is back</label> ")
          .Append(CultureInfo.InvariantCulture, $"<input id=\"email-{id}\" type=\"email\" name=\"email\" required maxlength=\"{EmailAddresses.MaxLength}\" autocomplete=\"email\"> ")
          .Append("<button type=\"submit\">Subscribe</button></form>");
    }
}
