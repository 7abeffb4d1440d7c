namespace ServerlessMonitor.Tests.Infra;

/// <summary>
/// The notification channels' secrets as Bicep secure parameters (docs/NOTIFICATIONS.md, Deploy): declared secureString in the
/// compiled template, and wired into the app settings <c>Notifications__Channels__{name}__…</c> only when given.
/// </summary>
[Collection(CompiledInfraCollection.Name)]
public sealed class ChannelSecretsInfraTests(CompiledInfra infra)
{
    [Theory]
    [InlineData("slackWebhookUrl", "slack", "Url", "slackWebhookUrl")]
    [InlineData("teamsWebhookUrl", "teams", "Url", "teamsWebhookUrl")]
    [InlineData("discordWebhookUrl", "discord", "Url", "discordWebhookUrl")]
    [InlineData("ntfyTopicUrl", "ntfy", "Url", "ntfyTopicUrl")]
    [InlineData("ntfyToken", "ntfy", "Token", "ntfyToken")]
    [InlineData("telegramBotToken", "telegram", "Token", "telegramBotToken")]
    [InlineData("pagerDutyRoutingKey", "pagerduty", "RoutingKey", "pagerDutyRoutingKey")]
    [InlineData("opsgenieApiKey", "opsgenie", "ApiKey", "opsgenieApiKey")]
    [InlineData("smtpPassword", "email", "Password", "smtpUsername")]
    public void Main_ChannelSecret_SecureParameterWrittenAsItsSettingOnlyWhenGiven(string parameter, string channel, string setting, string gate)
    {
        var declared = infra.Main.Json["parameters"]![parameter]!;
        var settings = infra.Main.Json["variables"]!["channelSettings"]!.GetValue<string>();

        Assert.Equal("securestring", declared["type"]!.GetValue<string>(), ignoreCase: true);
        Assert.Equal("", declared["defaultValue"]!.GetValue<string>());
        Assert.Contains($"'Notifications__Channels__{channel}__{setting}', parameters('{parameter}')", settings, StringComparison.Ordinal);
        Assert.Contains($"'Notifications__Channels__{channel}__Type', '{channel}'", settings, StringComparison.Ordinal);
        // Not given: the empty object, so no setting of the channel exists (an empty Type would fail the app's validation).
        Assert.Contains($"empty(parameters('{gate}'))", settings, StringComparison.Ordinal);
        Assert.DoesNotContain($"parameters('{parameter}'), ''", settings, StringComparison.Ordinal);
    }

    [Fact]
    public void Apps_EveryRegion_MergesTheChannelSettingsIntoItsAppSettingsAsASecureObject()
    {
        var apps = infra.Main.Modules.Where(m => m.OfType("Microsoft.Web/sites").Any()).ToList();

        Assert.Equal(2, apps.Count); // the primary region and the loop of extra regions
        Assert.All(apps, app =>
        {
            Assert.Equal("[variables('channelSettings')]", app.Deployment!["properties"]!["parameters"]!["notificationSettings"]!["value"]!.GetValue<string>());
            Assert.Equal("secureobject", app.Json["parameters"]!["notificationSettings"]!["type"]!.GetValue<string>(), ignoreCase: true);
        });
        Assert.Equal(["parameters('notificationSettings')"], infra.MergedAppSettings);
        // The literal settings are still read one by one (the other infra tests rely on it).
        Assert.Equal("[parameters('region')]", infra.AppSettings["Monitor__Region"]!.GetValue<string>());
        Assert.DoesNotContain(infra.AppSettings, s => s.Key.StartsWith("Notifications__", StringComparison.Ordinal));
    }
}
