using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Subscriptions;

namespace ServerlessMonitor.Tests.Subscriptions;

public sealed class SubscriptionsOptionsTests
{
    [Theory]
    [InlineData("Subscriptions:BackoffMax", "00:00:10", "Subscriptions:BackoffMax must not be shorter than Subscriptions:BackoffBase")]
    [InlineData("Subscriptions:MaxFailures", "0", "MaxFailures")]
    [InlineData("Subscriptions:Parallelism", "5000", "Parallelism")]
    public void Options_BadValue_ErrorNamingTheSetting(string key, string value, string expected)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.AddSubscriptions();
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<SubscriptionsOptions>>().Value);

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Backoff_Attempts_DoublesUpToMax()
    {
        var options = new SubscriptionsOptions { BackoffBase = TimeSpan.FromSeconds(30), BackoffMax = TimeSpan.FromMinutes(3) };

        Assert.Equal([30, 60, 120, 180, 180], Enumerable.Range(1, 5).Select(a => options.Backoff(a).TotalSeconds));
    }
}
