using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Notifications;

namespace ServerlessMonitor.Tests.Notifications;

public class NotificationsOptionsTests
{
    private static NotificationsOptions Bind(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddOptions<NotificationsOptions>().BindConfiguration(NotificationsOptions.Section).ValidateDataAnnotations();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<NotificationsOptions>>().Value;
    }

    [Theory]
    [InlineData("Type", "smoke-signal", "Notifications:Channels:ops:Type: 'smoke-signal' is not a channel type (one of slack, teams")]
    [InlineData("Type", "2", "Notifications:Channels:ops:Type: '2' is not a channel type")]
    [InlineData("Url", "not a url", "Notifications:Channels:ops:Url: not an absolute http(s) URL")]
    [InlineData("Events:0", "dwon", "Notifications:Channels:ops:Events:0: 'dwon' is not an event (one of down, recovered")]
    [InlineData("Services:0", "tik[", "Notifications:Channels:ops:Services:0:")]
    [InlineData("MinDuration", "-00:01:00", "Notifications:Channels:ops:MinDuration: must be between 0 and 1 day")]
    [InlineData("RemindEvery", "00:00:10", "Notifications:Channels:ops:RemindEvery: must be between 1 minute and 7 days")]
    [InlineData("PerMinute", "0", "Notifications:Channels:ops:PerMinute: must be between 1 and 600")]
    public void Validate_BadChannelSetting_FailsNamingIt(string setting, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:Channels:ops:Type"] = "slack",
            ["Notifications:Channels:ops:Url"] = "https://hooks.slack.com/services/T1/B1/secret-webhook-token",
            [$"Notifications:Channels:ops:{setting}"] = value,
        };

        var error = Assert.Throws<OptionsValidationException>(() => Bind(settings));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("secret-webhook-token", error.Message);
    }

    [Theory]
    [InlineData("telegram", "Notifications:Channels:ops:Token: required for a telegram channel", "Notifications:Channels:ops:ChatId: required")]
    [InlineData("pagerduty", "Notifications:Channels:ops:RoutingKey: required for a pagerduty channel", null)]
    [InlineData("opsgenie", "Notifications:Channels:ops:ApiKey: required for a opsgenie channel", null)]
    [InlineData("email", "Notifications:Channels:ops:Host: required for a email channel", "Notifications:Channels:ops:To: at least one address")]
    [InlineData("discord", "Notifications:Channels:ops:Url: required for a discord channel", null)]
    public void Validate_MissingRequiredSettings_ReportsEveryOne(string type, string first, string? second)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Notifications:Channels:ops:Type"] = type }));

        Assert.Contains(first, error.Message);
        if (second is not null)
        {
            Assert.Contains(second, error.Message);
        }
    }

    [Fact]
    public void Validate_CompleteChannels_Valid()
    {
        var options = Bind(new()
        {
            ["Notifications:GroupWindow"] = "00:02:00",
            ["Notifications:Channels:ops:Type"] = "Slack",
            ["Notifications:Channels:ops:Url"] = "https://hooks.slack.com/services/T1/B1/x",
            ["Notifications:Channels:ops:Services:0"] = "tik*",
            ["Notifications:Channels:ops:Events:0"] = "down",
            ["Notifications:Channels:pd:Type"] = "pagerduty",
            ["Notifications:Channels:pd:RoutingKey"] = "k",
        });

        Assert.Equal([ChannelKind.Slack, ChannelKind.PagerDuty], options.Channels.Values.Select(c => c.Kind));
        Assert.Equal(TimeSpan.FromMinutes(2), options.GroupWindow);
    }
}
