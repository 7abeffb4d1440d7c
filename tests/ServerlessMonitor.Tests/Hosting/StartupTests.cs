using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Hosting;

public class StartupTests
{
    [Fact]
    public async Task Start_InvalidCatalog_ExitsNonZeroPrintingEveryProblem()
    {
        using var dir = new TempDirectory();
        var catalog = dir.Write("bad.json", """
            { "services": [ { "id": "a", "name": "A", "endpoints": [
                { "id": "web", "url": "not a url" },
                { "id": "tcp", "kind": "tcp", "host": "127.0.0.1" } ] } ] }
            """);
        await using var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["Monitor__Catalog"] = catalog,
            ["Storage__SqlitePath"] = dir.File("m.db"),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{AppProcess.FreePort()}",
        });

        var exit = await app.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, exit);
        Assert.Contains("services[0].endpoints[0].url: not an absolute http(s) URL", app.Output);
        Assert.Contains("services[0].endpoints[1].port: required for kind 'tcp'", app.Output);
    }

    [Theory]
    [InlineData("Monitor__ProbeSchedule", "every minute", "Monitor:ProbeSchedule")]
    [InlineData("Monitor__MaxConcurrency", "0", "MaxConcurrency")]
    [InlineData("Storage__Mode", "Tables", "Storage:Mode=Tables needs Storage:ConnectionString or Storage:TableServiceUri")]
    [InlineData("Monitor__RetentionSchedule", "daily", "Monitor:RetentionSchedule")]
    [InlineData("Alerts__Schedule", "0 * * * *", "Alerts:Schedule")]
    [InlineData("Reports__AllowedOrigins__0", "*", "Reports:AllowedOrigins entries must be origins")]
    [InlineData("Monitor__ControlTargets__0", "one.one.one.one", "Monitor:ControlTargets:0: 'one.one.one.one' is neither an absolute http(s) URL nor dns:<host name>")]
    public async Task Start_BadSetting_ExitsNonZeroNamingIt(string name, string value, string expected)
    {
        using var dir = new TempDirectory();
        await using var app = AppProcess.Start(new Dictionary<string, string?>
        {
            [name] = value,
            ["Storage__SqlitePath"] = dir.File("m.db"),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{AppProcess.FreePort()}",
        });

        var exit = await app.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exit);
        Assert.Contains(expected, app.Output);
    }
}
