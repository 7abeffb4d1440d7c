using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Incidents;

namespace ServerlessMonitor.Tests.Incidents;

public class FlappingOptionsTests
{
    [Theory]
    [InlineData("Changes", "1", "Monitor:Flapping:Changes must be 0 (off) or 2 to 100 (got 1)")]
    [InlineData("Changes", "-3", "Monitor:Flapping:Changes must be 0 (off) or 2 to 100 (got -3)")]
    [InlineData("Changes", "101", "Monitor:Flapping:Changes must be 0 (off) or 2 to 100 (got 101)")]
    [InlineData("Window", "00:00:30", "Monitor:Flapping:Window must be between 00:01:00 and 1.00:00:00 (got 00:00:30)")]
    [InlineData("StablePeriod", "2.00:00:00", "Monitor:Flapping:StablePeriod must be between 00:01:00 and 1.00:00:00 (got 2.00:00:00)")]
    public void Validate_BadSetting_FailsNamingIt(string name, string value, string expected)
    {
        using var host = Build(new() { [$"Monitor:Flapping:{name}"] = value });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<FlappingOptions>>().Value);

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Bind_NoSettings_DefaultsFiveChangesIn30MinStableAfter15()
    {
        using var host = Build([]);

        Assert.Equal(new FlapSettings(4, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(15)),
            host.Services.GetRequiredService<IOptions<FlappingOptions>>().Value.Settings);
    }

    [Fact]
    public void Bind_ChangesZero_DetectionOff()
    {
        using var host = Build(new() { ["Monitor:Flapping:Changes"] = "0" });

        Assert.False(host.Services.GetRequiredService<IOptions<FlappingOptions>>().Value.Settings.Enabled);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddIncidents();
        return builder.Build();
    }
}
