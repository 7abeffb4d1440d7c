using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Alerts;

public class AlertsOptionsTests
{
    [Theory]
    [InlineData("Alerts:Webhooks:0:Url", "ftp://example.org/hook", "Alerts:Webhooks:0:Url: not an absolute http(s) URL")]
    [InlineData("Alerts:Webhooks:0:Url", "/relative", "Alerts:Webhooks:0:Url: not an absolute http(s) URL")]
    [InlineData("Alerts:Webhooks:0:Types:0", "ServerlessMonitor.Endpoint.Dwon", "Alerts:Webhooks:0:Types:0: unknown event type 'ServerlessMonitor.Endpoint.Dwon'")]
    [InlineData("Alerts:BackoffMax", "00:00:05", "Alerts:BackoffMax must not be shorter than Alerts:BackoffBase")]
    [InlineData("Alerts:MaxAge", "00:00:10", "MaxAge")]
    [InlineData("EventGrid:TopicKey", "secret-key-value", "EventGrid:TopicKey is set but EventGrid:TopicEndpoint is not")]
    [InlineData("EventGrid:TopicEndpoint", "http://topic.example.org/api/events", "EventGrid:TopicEndpoint: not an absolute https URL")]
    public void Validate_BadSetting_FailsNamingIt(string name, string value, string expected)
    {
        using var dir = new TempDirectory();
        using var harness = new AlertsHarness(dir.File("m.db"), new ManualClock(), new Dictionary<string, string?> { [name] = value });

        var error = Assert.Throws<OptionsValidationException>(() =>
        {
            _ = harness.Get<IOptions<AlertsOptions>>().Value;
            _ = harness.Get<IOptions<EventGridOptions>>().Value;
        });

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("secret-key-value", error.Message);
    }

    [Fact]
    public void AddAlerts_BlankPlaceholderSettings_NoSinksAndValid()
    {
        using var dir = new TempDirectory();
        using var harness = new AlertsHarness(dir.File("m.db"), new ManualClock(), new Dictionary<string, string?>
        {
            // Exactly what local.settings.example.json ships.
            ["EventGrid:TopicEndpoint"] = "",
            ["EventGrid:TopicKey"] = "",
            ["Alerts:Webhooks:0:Url"] = "",
            ["Alerts:Webhooks:0:Secret"] = "",
        });

        Assert.Empty(harness.Get<IEnumerable<IAlertSink>>());
        Assert.False(harness.Get<IOptions<EventGridOptions>>().Value.IsConfigured);
        Assert.Equal("serverlessmonitor", harness.Get<IOptions<AlertsOptions>>().Value.WebhookOrigin);
    }

    [Fact]
    public void AddAlerts_TopicAndTwoWebhooks_RegistersThreeSinksWithDistinctNames()
    {
        using var dir = new TempDirectory();
        using var harness = new AlertsHarness(dir.File("m.db"), new ManualClock(), new Dictionary<string, string?>
        {
            ["EventGrid:TopicEndpoint"] = "https://topic.westeurope-1.eventgrid.azure.net/api/events",
            ["Alerts:Webhooks:0:Url"] = "https://a.example.org/hook",
            ["Alerts:Webhooks:1:Url"] = "https://b.example.org/hook",
        });

        var names = harness.Get<IEnumerable<IAlertSink>>().Select(s => s.Name).ToList();

        Assert.Equal(3, names.Distinct().Count());
        Assert.Contains("eventgrid", names);
        Assert.All(names, n => Assert.DoesNotContain(",", n));
    }
}
