using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Hosting;

namespace ServerlessMonitor.Subscriptions;

/// <summary>
/// Webhook subscribers get the event itself: a CloudEvents 1.0 structured-mode POST with the same bytes, type and id
/// the outbox holds (and Event Grid and the operators' webhooks get), signed with the subscription's own secret in
/// <see cref="WebhookAlertSink.SignatureHeader"/>. 2xx is accepted, 410 removes the subscription, anything else (a
/// redirect included: never followed) is retried by the core, which disables the subscription after repeated failures.
/// The answer's body is never read.
/// </summary>
internal sealed class WebhookChannel(IHttpClientFactory httpClients, WebhookSecrets secrets, IOptions<MonitorOptions> monitor) : ISubscriberChannel
{
    public const string DeliveryHeader = "X-ServerlessMonitor-Delivery";

    public string Kind => SubscriptionKinds.Webhook;

    public async Task<SubscriberSendResult> SendAsync(SubscriberMessage message, Subscription subscription, CancellationToken ct)
    {
        if (!secrets.Ready)
        {
            return SubscriberSendResult.RetryLater;
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(message.Event ?? EventOf(message), AlertJsonContext.Default.AlertEvent);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(subscription.Address, UriKind.Absolute)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(WebhookAlertSink.ContentType);
        request.Headers.TryAddWithoutValidation(WebhookAlertSink.SignatureHeader, secrets.Sign(subscription.Id, body));
        request.Headers.TryAddWithoutValidation(DeliveryHeader, SubscriberDeliveryIds.For(message.EventId, subscription.Id));
        try
        {
            using var response = await httpClients.CreateClient(WebhookHttp.ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return response.IsSuccessStatusCode ? SubscriberSendResult.Accepted
                : response.StatusCode == HttpStatusCode.Gone ? SubscriberSendResult.Gone
                : SubscriberSendResult.RetryLater;
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return SubscriberSendResult.RetryLater;
        }
    }

    /// <summary>A message built without its event (never by the outbox path): the same envelope with what the message says.</summary>
    private AlertEvent EventOf(SubscriberMessage m) => new(m.EventId, m.Type, AlertEvents.Source(monitor.Value.Instance), AlertEvents.Subject(m.Service, null),
        m.Time, new AlertData { Service = m.Service, ServiceName = m.ServiceName, Status = m.Title, Message = m.Text, StatusPageUrl = m.Link });
}
