using System.Net;
using System.Text;
using ServerlessMonitor.Status;
using ServerlessMonitor.Subscriptions;

namespace ServerlessMonitor.Pages;

/// <summary>
/// "Notify me" for one service: a button the page's script shows only when the browser can push and the server has
/// a VAPID key (<see cref="WebPushScripts.Page"/>); without either it stays hidden. The words are written here.
/// </summary>
internal static class SubscribeHtml
{
    public static void Append(StringBuilder sb, ServiceStatusDto s)
    {
        var name = WebUtility.HtmlEncode(s.Name);
        var action = WebUtility.HtmlEncode($"/api/services/{Uri.EscapeDataString(s.Id)}/subscriptions/push");
        sb.Append("<p class=\"subscribe\">")
          .Append($"<button type=\"button\" class=\"notify\" hidden data-action=\"{action}\" data-worker=\"{WebPushApi.WorkerPath}\" ")
          .Append($"data-done=\"You will be notified when {name} goes down and when it is back.\" ")
          .Append("data-blocked=\"Notifications are blocked for this site in your browser.\" data-failed=\"Could not subscribe\" ")
          .Append($"aria-label=\"Notify me about {name}\">Notify me</button> ")
          .Append("<span class=\"notify-result\" role=\"status\" aria-live=\"polite\"></span></p>");
    }
}
