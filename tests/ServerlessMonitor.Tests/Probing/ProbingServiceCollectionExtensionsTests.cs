using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Probing;

namespace ServerlessMonitor.Tests.Probing;

public sealed class ProbingServiceCollectionExtensionsTests
{
    [Fact]
    public void AddProbers_Defaults_OneProberPerKindAndOneMiBCap()
    {
        using var services = Build([]);

        var kinds = services.GetServices<IProber>().Select(p => p.Kind).Order();

        // Push endpoints are judged by the clock, not probed over the network: AddPush registers theirs (PushWiringTests).
        Assert.Equal(Enum.GetValues<EndpointKind>().Where(k => k != EndpointKind.Push), kinds);
        Assert.Equal(1024 * 1024, services.GetRequiredService<IOptions<ProbingOptions>>().Value.MaxBodyBytes);
    }

    [Fact]
    public void AddProbers_MaxBodyBytesFromMonitorSection_Bound()
    {
        using var services = Build(new() { ["Monitor:MaxBodyBytes"] = "65536" });

        Assert.Equal(65536, services.GetRequiredService<IOptions<ProbingOptions>>().Value.MaxBodyBytes);
    }

    [Fact]
    public void AddProbers_MaxBodyBytesOutOfRange_FailsValidation()
    {
        using var services = Build(new() { ["Monitor:MaxBodyBytes"] = "10" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ProbingOptions>>().Value);
        Assert.Contains("MaxBodyBytes", error.Message);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddProbers()
            .BuildServiceProvider();
    }
}
