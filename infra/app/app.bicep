// One probing region: a Flex Consumption plan (FC1) and the function app that runs the monitor as a
// custom handler. main.bicep deploys this once for the primary region and once per extra region;
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

@description('Region name the app writes its results as (Monitor__Region).')
param region string
param instance string
param probeSchedule string
param catalogPath string
param retentionDays int
param maxConcurrency int

// The app is framework-dependent: the .NET stack provides `dotnet`, host.json starts `dotnet ServerlessMonitor.dll`.
param runtimeName string = 'dotnet-isolated'
param runtimeVersion string = '10.0'

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048
param maximumInstanceCount int = 100

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
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
    }
  }
  dependsOn: [
    deploymentContainer
  ]

  // Identity-based connections only: no account keys, no key-bearing connection strings.
  // (Flex Consumption sets FUNCTIONS_WORKER_RUNTIME and the extension version itself.)
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Functions host storage (timer schedule monitors and singleton locks).
      AzureWebJobsStorage__accountName: storage.name
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId

      // Telemetry over Microsoft Entra ID (the component has local auth disabled).
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

      // Azure.Identity's ManagedIdentityCredential/DefaultAzureCredential pick the user-assigned identity from this.
      AZURE_CLIENT_ID: identityClientId

      // The monitor (DESIGN §9).
      Monitor__Catalog: catalogPath
      Monitor__Region: region
      Monitor__Instance: instance
      Monitor__ProbeSchedule: probeSchedule
      Monitor__MaxConcurrency: string(maxConcurrency)
      Monitor__RetentionDays: string(retentionDays)
      Storage__Mode: 'Tables'
      Storage__TableServiceUri: storage.properties.primaryEndpoints.table
      Storage__ManagedIdentityClientId: identityClientId
      EventGrid__TopicEndpoint: topicEndpoint
      EventGrid__ManagedIdentityClientId: identityClientId
    }
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
