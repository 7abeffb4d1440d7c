using System.Text.Json;
using Azure;
using Azure.Identity;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Microsoft.Extensions.Options;

namespace ServerlessMonitor.Alerts;

/// <summary>
/// Publishes alerts to the Event Grid custom topic (CloudEvents input schema); Event Grid fans out to
/// its subscriptions and filters by type and subject there.
/// </summary>
/// <remarks>The client is built on first use, so resolving the sinks never pre-empts start-up validation.</remarks>
internal sealed class EventGridAlertSink(IOptions<EventGridOptions> options) : IAlertSink
{
    private readonly Lazy<EventGridPublisherClient> _client = new(() => CreateClient(options.Value));

    public string Name => "eventgrid";

    public string Display => $"Event Grid topic {options.Value.TopicEndpoint?.Host}";

    public bool Wants(AlertEvent alert) => true;

    public async Task DeliverAsync(AlertEvent alert, string json, CancellationToken ct)
    {
        var data = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(alert.Data, AlertJsonContext.Default.AlertData));
        var cloudEvent = new CloudEvent(alert.Source, alert.Type, data, "application/json", CloudEventDataFormat.Json)
        {
            Id = alert.Id,
            Subject = alert.Subject,
            Time = alert.Time,
        };
        try
        {
            await _client.Value.SendEventAsync(cloudEvent, ct);
        }
        catch (RequestFailedException e) when (e.Status > 0)
        {
            // The service's message can be long and echo request details; the status and error code say enough.
            throw new AlertDeliveryException($"{Display}: HTTP {e.Status}{(e.ErrorCode is null ? "" : $" ({e.ErrorCode})")}", e);
        }
        catch (Exception e) when (e is AuthenticationFailedException or CredentialUnavailableException)
        {
            throw new AlertDeliveryException($"{Display}: could not get a token for the managed identity ({e.GetType().Name})", e);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Transport failures (refused, reset, timeout) carry no credentials in their messages.
            throw new AlertDeliveryException($"{Display}: {(e.InnerException ?? e).Message}", e);
        }
    }

    /// <summary>The client for the configured topic: access key when given, else managed identity.</summary>
    private static EventGridPublisherClient CreateClient(EventGridOptions options)
    {
        var endpoint = options.TopicEndpoint!;
        var clientOptions = new EventGridPublisherClientOptions();
        // The outbox owns retries (with backoff that survives restarts); SDK retries would only hold the timer up.
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        return string.IsNullOrEmpty(options.TopicKey)
            ? new EventGridPublisherClient(endpoint, new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId,
            }), clientOptions)
            : new EventGridPublisherClient(endpoint, new AzureKeyCredential(options.TopicKey), clientOptions);
    }
}
