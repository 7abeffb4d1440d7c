using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Status;

/// <summary>End to end against the outage lab: probe cycles through the host protocol, answers from /api/status.</summary>
public class LabStatusTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Status_StoppedEndpoint_GoesDownAfterFailureThresholdAndBackUpAfterSuccessThreshold()
    {
        const string name = "lab-stop-start";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name));
        await app.NextCycleAsync();
        Assert.Equal("up", await app.EndpointStatusAsync(name));

        fixture.Lab.Switches.Down(name);
        var whileStopped = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
            whileStopped.Add(await app.EndpointStatusAsync(name));
        }
        var down = await app.EndpointAsync(name);

        fixture.Lab.Switches.Up(name);
        var afterRestart = new List<string?>();
        for (var i = 0; i < 2; i++)
        {
            await app.NextCycleAsync();
            afterRestart.Add(await app.EndpointStatusAsync(name));
        }

        Assert.Equal(["up", "up", "down"], whileStopped);
        Assert.Equal("condition failed: [STATUS] (503) == 200", down.GetProperty("lastError").GetString());
        Assert.Equal("http-status", down.GetProperty("errorKind").GetString());
        Assert.Equal(["down", "up"], afterRestart);
    }

    [Fact]
    public async Task Status_LabScenarios_EachEndpointReportsWhatHappened()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Scenarios(fixture.Lab));

        await app.NextCycleAsync();

        var healthy = await app.EndpointAsync("healthy");
        Assert.Equal("up", healthy.GetProperty("status").GetString());
        Assert.True(healthy.TryGetProperty("responseTimeMs", out var ms) && ms.GetInt64() >= 0);
        Assert.Equal("up", await app.EndpointStatusAsync("healthy", "tcp"));
        var broken = await app.EndpointAsync("broken");
        Assert.Equal(("down", "http-status", 500), (broken.GetProperty("status").GetString(), broken.GetProperty("errorKind").GetString(), broken.GetProperty("httpStatus").GetInt32()));
        Assert.Equal("refused", (await app.EndpointAsync("refused")).GetProperty("errorKind").GetString());
        Assert.Equal("timeout", (await app.EndpointAsync("slow")).GetProperty("errorKind").GetString());
        var tls = await app.EndpointAsync("tls", "cert");
        Assert.Equal("down", tls.GetProperty("status").GetString());
        Assert.Contains("[CERTIFICATE_EXPIRATION]", tls.GetProperty("lastError").GetString());
        Assert.Equal(fixture.Lab.CertificateNotAfter, tls.GetProperty("certificateExpiry").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Status_ServiceWithOneBadEndpoint_IsAsBadAsItsWorstEndpoint()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Scenarios(fixture.Lab).Replace("\"id\": \"tcp\"", "\"id\": \"tcp\", \"failureThreshold\": 1").Replace($"\"port\": {fixture.Lab.HttpPort}", $"\"port\": {fixture.Lab.RefusedPort}"));

        await app.NextCycleAsync();
        var overview = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/status");

        var healthy = overview.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "healthy");
        Assert.Equal("down", healthy.GetProperty("status").GetString());
        Assert.Equal("down", overview.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Status_FlappingEndpoint_FailureIsConfirmedByRetryAndNeverCounts()
    {
        // /flapping answers 200, 500, 200, 500 …: every failed probe is retried once and then succeeds.
        await using var app = new MonitorAppFactory($$"""
            { "services": [ { "id": "flap", "name": "Flap", "endpoints": [
                { "id": "web", "url": "{{fixture.Lab.Http("/flapping")}}", "failureThreshold": 1 } ] } ] }
            """);

        var statuses = new List<string?>();
        for (var i = 0; i < 6; i++)
        {
            await app.NextCycleAsync();
            statuses.Add(await app.EndpointStatusAsync("flap"));
        }

        Assert.All(statuses, s => Assert.Equal("up", s));
    }

    [Fact]
    public async Task Status_UnknownService_Is404ProblemDetails()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "lab-404"));

        using var response = await app.CreateClient().GetAsync("/api/status/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("nope", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Catalog_EditedWithErrors_KeepsTheGoodCatalog()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "lab-reload"));
        await app.NextCycleAsync();

        File.WriteAllText(app.CatalogPath, """{ "services": [ { "id": "Broken Id" } ] }""");
        File.SetLastWriteTimeUtc(app.CatalogPath, DateTime.UtcNow.AddSeconds(5));
        await app.NextCycleAsync();

        Assert.Equal("up", await app.EndpointStatusAsync("lab-reload"));
    }

    [Fact]
    public async Task OutageLabCatalog_Shipped_IsValid()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "OutageLab", "monitors.lab.json");

        var result = ServerlessMonitor.Catalog.CatalogLoader.Load(await File.ReadAllTextAsync(path));

        Assert.Empty(result.Errors);
        Assert.True(result.Catalog!.Services.Count >= 6);
    }
}
