using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServerlessMonitor.Maintenance;

namespace ServerlessMonitor.Tests.Maintenance;

public class MaintenanceOptionsTests
{
    private static MaintenanceOptions Bind(string? announceBefore)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (announceBefore is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Maintenance:AnnounceBefore"] = announceBefore });
        }
        builder.AddMaintenance();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<MaintenanceOptions>>().Value;
    }

    [Theory]
    [InlineData(null, 48 * 60)]
    [InlineData("00:00:00", 0)]
    [InlineData("7.00:00:00", 7 * 24 * 60)]
    public void Bind_GoodOrMissing_DefaultIs48Hours(string? value, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), Bind(value).AnnounceBefore);

    [Theory]
    [InlineData("-01:00:00")]
    [InlineData("31.00:00:00")]
    public void Bind_OutOfRange_FailsNamingTheSetting(string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(value));

        Assert.Contains("Maintenance:AnnounceBefore must be between 00:00:00 and 30.00:00:00", error.Message);
    }
}
