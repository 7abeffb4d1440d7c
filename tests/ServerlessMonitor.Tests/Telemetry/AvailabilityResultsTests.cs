using System.Globalization;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Telemetry;

/// <summary>
/// Telemetry:AvailabilityResults with the Azure Monitor exporter pointed at a loopback ingestion endpoint: every probe
/// arrives as AvailabilityData, the way the portal's Availability blade reads it.
/// </summary>
public sealed class AvailabilityResultsTests(OutageLabFixture lab) : IClassFixture<OutageLabFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task LabCycle_AvailabilityResultsOn_OneAvailabilityDataPerProbeWithNameLocationSuccessAndDuration()
    {
        const string prefix = "avail";
        await using var ingestion = await IngestionReceiver.StartAsync();
        using var dir = new TempDirectory();
        var port = AppProcess.FreePort();
        var settings = ingestion.Settings();
        settings["Telemetry__AvailabilityResults"] = "true";
        settings["Monitor__Catalog"] = dir.Write("monitors.json", TelemetryLab.Catalog(lab.Lab, prefix));
        settings["Monitor__Region"] = "westeurope";
        settings["Storage__SqlitePath"] = dir.File("m.db");
        settings["Monitor__ConfirmationDelay"] = "00:00:00";
        settings["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        await using var app = AppProcess.Start(settings);

        await ingestion.WaitForAsync(r => r.Availability.Count() >= 2, "availability results of both endpoints", Wait, () => app.Output);

        var results = ingestion.Availability.ToList();
        var up = Assert.Single(results, a => a["name"]!.GetValue<string>() == $"{prefix}-up/web");
        var down = Assert.Single(results, a => a["name"]!.GetValue<string>() == $"{prefix}-down/api");
        Assert.Equal(("westeurope", true), (up["runLocation"]!.GetValue<string>(), up["success"]!.GetValue<bool>()));
        Assert.Equal(("westeurope", false), (down["runLocation"]!.GetValue<string>(), down["success"]!.GetValue<bool>()));
        Assert.StartsWith("network/connection failure", down["message"]!.GetValue<string>());
        Assert.True(TimeSpan.TryParse(up["duration"]!.GetValue<string>(), CultureInfo.InvariantCulture, out var duration), up.ToJsonString());
        Assert.InRange(duration, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(5));
        Assert.All(results, a => Assert.True(Guid.TryParse(a["id"]!.GetValue<string>(), out _), a.ToJsonString()));
        // The probed URL's token never goes to Application Insights.
        Assert.DoesNotContain(ingestion.Envelopes, e => e.ToJsonString().Contains(TelemetryLab.UrlToken, StringComparison.Ordinal));
    }
}
