// ServerlessMonitor on Azure: `azd up` provisions this, then deploys functions/ServerlessMonitor.Functions.
// See docs/DEPLOY.md for the hosting choice, costs and multi-region probing.
targetScope = 'subscription'

import { alertSubscription } from 'app/eventgrid.bicep'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; resource names derive from it.')
param environmentName string

@minLength(1)
@description('Primary region: storage, Event Grid topic, monitoring and the first probing function app. Must offer Flex Consumption.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Extra probing regions, e.g. [\'westeurope\', \'southeastasia\']. Each gets its own Flex Consumption plan and function app running the same package against the same storage account and topic, with Monitor__Region set to the region.')
param extraRegions string[] = []

@description('Webhook subscriptions on the alert topic: [{ name, endpoint, includedEventTypes?, subjectBeginsWith? }]. The endpoint is a secure value.')
param alertSubscriptions alertSubscription[] = []

@description('Six-field NCRONTAB (with seconds) for the ProbeTimer function; each endpoint is still probed at its own interval.')
param probeSchedule string = '*/30 * * * * *'

@description('Six-field NCRONTAB for the RetentionTimer function (deletes steady results older than rawRetentionDays).')
param retentionSchedule string = '0 15 3 * * *'

@description('Six-field NCRONTAB for the AlertsTimer function (re-dispatches alerts whose delivery failed).')
param alertsSchedule string = '0 * * * * *'

@description('Catalog file, relative to the deployed package root.')
param catalogPath string = 'monitors.json'

@description('Name in alert sources: /serverlessmonitor/{instance}.')
param instanceName string = environmentName

@minValue(1)
@maxValue(3650)
param rawRetentionDays int = 7

@minValue(1)
@maxValue(512)
param maxConcurrency int = 16

@description('Regions that must see an endpoint down for a global outage; 0 = every region that reports.')
@minValue(0)
@maxValue(64)
param downQuorum int = 0

@description('Status page URL linked from alerts, e.g. a custom domain; empty: the primary app\'s https://{defaultHostName}/.')
param statusPageUrl string = ''

@description('Origins allowed to call the public read API from a browser (CORS). The API is anonymous and cookie-free, so the default is any origin; list your sites\' origins to restrict it.')
param corsAllowedOrigins string[] = [
  '*'
]

@description('Memory of each Flex Consumption instance (MB). 512 is plenty for the monitor and bills a quarter of 2048.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

// Notification channels (docs/NOTIFICATIONS.md): one per provider, named after it, and written as the app settings
// Notifications__Channels__{name}__… only when its secret (or, for email, its SMTP host) is given.
@secure()
@description('Slack incoming webhook URL: channel "slack".')
param slackWebhookUrl string = ''
@secure()
@description('Teams Workflows webhook URL (with its sig=): channel "teams".')
param teamsWebhookUrl string = ''
@secure()
@description('Discord webhook URL: channel "discord".')
param discordWebhookUrl string = ''
@secure()
@description('ntfy topic URL (the topic name is the secret): channel "ntfy".')
param ntfyTopicUrl string = ''
@secure()
@description('ntfy access token (optional).')
param ntfyToken string = ''
@secure()
@description('Telegram bot token: channel "telegram", to telegramChatId.')
param telegramBotToken string = ''
param telegramChatId string = ''
@secure()
@description('PagerDuty Events API v2 integration (routing) key: channel "pagerduty".')
param pagerDutyRoutingKey string = ''
@secure()
@description('Opsgenie API key: channel "opsgenie".')
param opsgenieApiKey string = ''
@description('SMTP relay host: channel "email" (STARTTLS on smtpPort), from smtpFrom to smtpTo.')
param smtpHost string = ''
param smtpPort int = 587
param smtpUsername string = ''
@secure()
@description('SMTP password (with smtpUsername).')
param smtpPassword string = ''
param smtpFrom string = ''
param smtpTo string = ''

var channelSettings = union(
  empty(slackWebhookUrl) ? {} : { Notifications__Channels__slack__Type: 'slack', Notifications__Channels__slack__Url: slackWebhookUrl },
  empty(teamsWebhookUrl) ? {} : { Notifications__Channels__teams__Type: 'teams', Notifications__Channels__teams__Url: teamsWebhookUrl },
  empty(discordWebhookUrl) ? {} : { Notifications__Channels__discord__Type: 'discord', Notifications__Channels__discord__Url: discordWebhookUrl },
  empty(ntfyTopicUrl) ? {} : { Notifications__Channels__ntfy__Type: 'ntfy', Notifications__Channels__ntfy__Url: ntfyTopicUrl },
  empty(ntfyTopicUrl) || empty(ntfyToken) ? {} : { Notifications__Channels__ntfy__Token: ntfyToken },
  empty(telegramBotToken) ? {} : { Notifications__Channels__telegram__Type: 'telegram', Notifications__Channels__telegram__Token: telegramBotToken, Notifications__Channels__telegram__ChatId: telegramChatId },
  empty(pagerDutyRoutingKey) ? {} : { Notifications__Channels__pagerduty__Type: 'pagerduty', Notifications__Channels__pagerduty__RoutingKey: pagerDutyRoutingKey },
  empty(opsgenieApiKey) ? {} : { Notifications__Channels__opsgenie__Type: 'opsgenie', Notifications__Channels__opsgenie__ApiKey: opsgenieApiKey },
  empty(smtpHost) ? {} : {
    Notifications__Channels__email__Type: 'email'
    Notifications__Channels__email__Host: smtpHost
    Notifications__Channels__email__Port: string(smtpPort)
    Notifications__Channels__email__From: smtpFrom
    Notifications__Channels__email__To__0: smtpTo
  },
  empty(smtpHost) || empty(smtpUsername) ? {} : { Notifications__Channels__email__Username: smtpUsername, Notifications__Channels__email__Password: smtpPassword }
)
@secure()
@description('Web push VAPID public key, base64url (Subscriptions__VapidPublicKey); empty: web push off (docs/SUBSCRIPTIONS.md).')
param vapidPublicKey string = ''

@secure()
@description('Web push VAPID private key, base64url (Subscriptions__VapidPrivateKey); set with the public key.')
param vapidPrivateKey string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

// The Functions host derives its host ID from the first 32 characters of the app name and all regions share
// one storage account, so the region comes first in the name to keep host IDs (and timer locks) distinct.
var primaryAppName = 'func-${location}-${resourceToken}'
var extraRegionList = filter(extraRegions, region => region != location)
var extraAppNames = [for region in extraRegionList: 'func-${region}-${resourceToken}']

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-monitor-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
  }
}

module eventGrid 'app/eventgrid.bicep' = {
  name: 'eventgrid'
  scope: rg
  params: {
    name: 'evgt-${resourceToken}'
    location: location
    tags: tags
    subscriptions: alertSubscriptions
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    topicName: eventGrid.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    principalId: identity.outputs.principalId
  }
}

@description('Email subscriptions: HMAC key of confirmation links (at least 32 characters); empty: email subscriptions are off.')
@secure()
param subscriptionsSigningKey string = ''

@description('Email subscriptions: SMTP server (host), login and sender (e.g. Status <status@example.com>), when no operators\' email channel is set.')
param subscriptionsSmtpHost string = ''
param subscriptionsSmtpUsername string = ''
param subscriptionsSmtpFrom string = ''

@description('Email subscriptions: SMTP password.')
@secure()
param subscriptionsSmtpPassword string = ''

module app 'app/app.bicep' = {
  name: 'app-${location}'
  scope: rg
  params: {
    name: primaryAppName
    planName: 'plan-${location}-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'monitor'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    topicEndpoint: eventGrid.outputs.endpoint
    region: location
    instance: instanceName
    probeSchedule: probeSchedule
    retentionSchedule: retentionSchedule
    alertsSchedule: alertsSchedule
    catalogPath: catalogPath
    rawRetentionDays: rawRetentionDays
    maxConcurrency: maxConcurrency
    downQuorum: downQuorum
    statusPageUrl: statusPageUrl
    corsAllowedOrigins: corsAllowedOrigins
    instanceMemoryMB: instanceMemoryMB
    subscriptionsSigningKey: subscriptionsSigningKey
    subscriptionsSmtpHost: subscriptionsSmtpHost
    subscriptionsSmtpUsername: subscriptionsSmtpUsername
    subscriptionsSmtpFrom: subscriptionsSmtpFrom
    subscriptionsSmtpPassword: subscriptionsSmtpPassword
    notificationSettings: channelSettings
    vapidPublicKey: vapidPublicKey
    vapidPrivateKey: vapidPrivateKey
  }
  dependsOn: [
    rbac
  ]
}

module extraApps 'app/app.bicep' = [for (region, i) in extraRegionList: {
  name: 'app-${region}'
  scope: rg
  params: {
    name: extraAppNames[i]
    planName: 'plan-${region}-${resourceToken}'
    location: region
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    topicEndpoint: eventGrid.outputs.endpoint
    region: region
    instance: instanceName
    probeSchedule: probeSchedule
    retentionSchedule: retentionSchedule
    alertsSchedule: alertsSchedule
    catalogPath: catalogPath
    rawRetentionDays: rawRetentionDays
    maxConcurrency: maxConcurrency
    downQuorum: downQuorum
    // Alerts from every region link to the one status page.
    statusPageUrl: app.outputs.statusPageUrl
    corsAllowedOrigins: corsAllowedOrigins
    instanceMemoryMB: instanceMemoryMB
    subscriptionsSigningKey: subscriptionsSigningKey
    subscriptionsSmtpHost: subscriptionsSmtpHost
    subscriptionsSmtpUsername: subscriptionsSmtpUsername
    subscriptionsSmtpFrom: subscriptionsSmtpFrom
    subscriptionsSmtpPassword: subscriptionsSmtpPassword
    notificationSettings: channelSettings
    vapidPublicKey: vapidPublicKey
    vapidPrivateKey: vapidPrivateKey
  }
  dependsOn: [
    rbac
  ]
}]

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output SERVICE_MONITOR_NAME string = app.outputs.name
output STATUS_PAGE_URL string = app.outputs.statusPageUrl
output EVENTGRID_TOPIC_NAME string = eventGrid.outputs.name
output EVENTGRID_TOPIC_ENDPOINT string = eventGrid.outputs.endpoint
// Space-separated; infra/scripts/deploy-extra-regions.* deploys the package to each after `azd deploy`.
output EXTRA_REGION_APP_NAMES string = join(extraAppNames, ' ')
