// Event Grid custom topic that fans the monitor's CloudEvents out to subscribers (DESIGN §7).
// Publishers must use Microsoft Entra ID (EventGrid Data Sender role): access keys are disabled.
param name string
param location string
param tags object = {}

@export()
@description('A webhook subscription on the alert topic.')
type alertSubscription = {
  @description('Event subscription name.')
  name: string

  // Secure so that a URL embedding a secret stays out of the deployment history.
  @secure()
  @description('HTTPS endpoint; it must answer the CloudEvents webhook validation handshake when the deployment runs.')
  endpoint: string

  @description('Event types to deliver, e.g. [\'ServerlessMonitor.Endpoint.Down\']; omitted: every type.')
  includedEventTypes: string[]?

  @description('Subject prefix, e.g. \'services/tiktok/\' (subjects look like services/{service}/endpoints/{endpoint}).')
  subjectBeginsWith: string?
}

param subscriptions alertSubscription[] = []

resource topic 'Microsoft.EventGrid/topics@2022-06-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    inputSchema: 'CloudEventSchemaV1_0'
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource webhookSubscriptions 'Microsoft.EventGrid/topics/eventSubscriptions@2022-06-15' = [for webhook in subscriptions: {
  parent: topic
  name: webhook.name
  properties: {
    eventDeliverySchema: 'CloudEventSchemaV1_0'
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: webhook.endpoint
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      includedEventTypes: webhook.?includedEventTypes
      subjectBeginsWith: webhook.?subjectBeginsWith ?? ''
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}]

output name string = topic.name
output endpoint string = topic.properties.endpoint
