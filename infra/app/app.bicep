// One probing region: a Flex Consumption plan (FC1) and the function app that runs the monitor on the
// .NET isolated worker. main.bicep deploys this once for the primary region and once per extra region;
// every region shares the storage account, the topic and the identity, and differs in Monitor__Region.
param name string
param planName string
param location string
param tags object = {}

@description('azd service name to tag this app with; empty for extra regions (azd deploys to exactly one tagged app).')
param serviceName string = ''

param identityId string
param identityClientId string
param storageAccountName string
param applicationInsightsName string
param topicEndpoint string

@description('Write every probe as an Application Insights availability result (Telemetry__AvailabilityResults).')
param availabilityResults bool = true

@description('Region name the app writes its results as (Monitor__Region).')
param region string
param instance string
param catalogPath string
param rawRetentionDays int
param maxConcurrency int
param downQuorum int

@description('Six-field NCRONTAB schedules of the timer functions (Monitor__ProbeSchedule, Monitor__RetentionSchedule, Alerts__Schedule).')
param probeSchedule string
param retentionSchedule string
param alertsSchedule string

@description('Status page URL linked from alerts (Alerts__StatusPageUrl); empty: this app\'s own https://{defaultHostName}/.')
param statusPageUrl string = ''

@description('Email subscriptions (docs/SUBSCRIPTIONS.md): HMAC key of confirmation links; empty: email subscriptions are off.')
@secure()
param subscriptionsSigningKey string = ''

@description('Email subscriptions: SMTP server, login and sender, used when no operators\' email channel is configured; empty: none.')
param subscriptionsSmtpHost string = ''
param subscriptionsSmtpUsername string = ''
param subscriptionsSmtpFrom string = ''

@secure()
param subscriptionsSmtpPassword string = ''
@secure()
@description('Notification channels\' app settings (Notifications__Channels__{name}__…, secrets included), built by main.bicep from its secure parameters.')
param notificationSettings object = {}

@description('Origins allowed to call the public read API from a browser (siteConfig.cors).')
param corsAllowedOrigins string[]

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048
param maximumInstanceCount int = 100

@secure()
@description('Web push VAPID public key, base64url (Subscriptions__VapidPublicKey); empty: web push off (docs/SUBSCRIPTIONS.md).')
param vapidPublicKey string = ''

@secure()
@description('Web push VAPID private key, base64url (Subscriptions__VapidPrivateKey); set with the public key.')
param vapidPrivateKey string = ''

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

var effectiveStatusPageUrl = empty(statusPageUrl) ? 'https://${functionApp.properties.defaultHostName}/' : statusPageUrl

// Flex Consumption reads the app package from this container (one per app, so regions deploy independently).
var deploymentContainerName = 'app-package-${toLower(uniqueString(resourceGroup().id, name))}'

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: empty(serviceName) ? tags : union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      // The public read API and status page are anonymous and cookie-free, so any origin may read them.
      // Report POSTs are additionally checked by the app against Reports:AllowedOrigins.
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      // The isolated worker (functions/ServerlessMonitor.Functions) targets net10.0. Flex Consumption takes
      // the runtime here and rejects FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION app settings.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
  dependsOn: [
    deploymentContainer
  ]

  // Identity-based connections only: no account keys, no key-bearing connection strings.
  // The worker reads these as configuration with `__` meaning `:` (Monitor__Region = Monitor:Region).
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union({
      // Functions host storage: timer schedule monitors and singleton locks (blobs), queue triggers
      // (queues), the host's diagnostic events (tables). Explicit service URIs work in every cloud.
      AzureWebJobsStorage__accountName: storage.name
      AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId

      // Telemetry over Microsoft Entra ID (the component has local auth disabled).
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      // Every probe also an availability result, so the portal's Availability blade and its alert rules see them (docs/OBSERVABILITY.md).
      Telemetry__AvailabilityResults: string(availabilityResults)

      // Azure.Identity's ManagedIdentityCredential/DefaultAzureCredential pick the user-assigned identity from this.
      AZURE_CLIENT_ID: identityClientId

      // Timer schedules: the host resolves %Monitor:ProbeSchedule% etc. from these and fails to index a
      // timer whose setting is missing, so they are always set.
      Monitor__ProbeSchedule: probeSchedule
      Monitor__RetentionSchedule: retentionSchedule
      Alerts__Schedule: alertsSchedule

      // The monitor (DESIGN §9).
      Monitor__Catalog: catalogPath
      Monitor__Region: region
      Monitor__Instance: instance
      Monitor__MaxConcurrency: string(maxConcurrency)
      Monitor__RawRetention: '${rawRetentionDays}.00:00:00'
      Monitor__DownQuorum: string(downQuorum)
      Storage__Mode: 'Tables'
      Storage__TableServiceUri: storage.properties.primaryEndpoints.table
      Storage__ManagedIdentityClientId: identityClientId
      EventGrid__TopicEndpoint: topicEndpoint
      EventGrid__ManagedIdentityClientId: identityClientId
      Alerts__StatusPageUrl: effectiveStatusPageUrl
      // Email subscriptions: the app treats an empty value as not set (the flow is then off).
      Subscriptions__SigningKey: subscriptionsSigningKey
      Subscriptions__SmtpHost: subscriptionsSmtpHost
      Subscriptions__SmtpUsername: subscriptionsSmtpUsername
      Subscriptions__SmtpPassword: subscriptionsSmtpPassword
      Subscriptions__SmtpFrom: subscriptionsSmtpFrom
      // Web push (docs/SUBSCRIPTIONS.md): secure parameters; empty values leave web push off.
      Subscriptions__VapidPublicKey: vapidPublicKey
      Subscriptions__VapidPrivateKey: vapidPrivateKey
    }, notificationSettings)
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
output statusPageUrl string = effectiveStatusPageUrl
