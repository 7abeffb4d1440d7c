using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.SelfCheck;

namespace ServerlessMonitor.Tests.SelfCheck;

public class SelfCheckOptionsTests
{
    [Theory]
    [InlineData("Monitor:ControlTargets:0", "ftp://example.org/", "Monitor:ControlTargets:0: 'ftp://example.org/' is neither an absolute http(s) URL nor dns:<host name>")]
    [InlineData("Monitor:ControlTargets:0", "dns:", "Monitor:ControlTargets:0:")]
    [InlineData("Monitor:ControlTargets:0", "dns:not a host", "Monitor:ControlTargets:0:")]
    [InlineData("Monitor:ControlTargets:0", "one.one.one.one", "Monitor:ControlTargets:0:")]
    [InlineData("Monitor:SelfCheckMinServices", "2", "Monitor:SelfCheckMinServices below 3 needs at least one Monitor:ControlTargets entry")]
    [InlineData("Monitor:SelfCheckMinServices", "-1", "SelfCheckMinServices")]
    [InlineData("Monitor:ControlTargetTimeout", "00:05:00", "ControlTargetTimeout")]
    public void Validate_BadSetting_FailsNamingIt(string name, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(new() { [name] = value }));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Targets_UrlsDnsAndPlaceholders_ParsedIntoProbeEndpoints()
    {
        var options = Options(new()
        {
            ["Monitor:ControlTargets:0"] = "https://one.one.one.one/",
            ["Monitor:ControlTargets:1"] = "",
            ["Monitor:ControlTargets:2"] = "dns:dns.google",
            ["Monitor:SelfCheckMinServices"] = "1",
        });

        var targets = options.Targets;

        Assert.Equal(["https://one.one.one.one/", "dns:dns.google"], targets.Select(t => t.Text));
        Assert.Equal((EndpointKind.Http, "HEAD", false, TimeSpan.FromSeconds(5)),
            (targets[0].Endpoint.Kind, targets[0].Endpoint.Method, targets[0].Endpoint.FollowRedirects, targets[0].Endpoint.Timeout));
        Assert.Equal((EndpointKind.Dns, "dns.google"), (targets[1].Endpoint.Kind, targets[1].Endpoint.Host));
    }

    [Fact]
    public void Defaults_NoControlTargetsMinimumThree()
    {
        var options = Options([]);

        Assert.Empty(options.Targets);
        Assert.Equal(3, options.SelfCheckMinServices);
    }

    private static SelfCheckOptions Options(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSelfCheck();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<SelfCheckOptions>>().Value;
    }
}
