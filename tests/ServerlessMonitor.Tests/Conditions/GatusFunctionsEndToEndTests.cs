using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Conditions;

/// <summary>A Gatus catalog with pat() and any() on the left loads and judges real responses.</summary>
public class GatusFunctionsEndToEndTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Probe_PatAndAnyOnTheLeft_LoadAndJudgeLikeTheRightHandForm()
    {
        var catalog = $$"""
            { "services": [ { "id": "gatus-left", "name": "Gatus left", "endpoints": [
                { "id": "up", "url": "{{fixture.Lab.Http("/healthy")}}", "failureThreshold": 1,
                  "conditions": ["any(200, 204) == [STATUS]", "pat(U*) == [BODY].status", "pat(5*) != [STATUS]"] },
                { "id": "down", "url": "{{fixture.Lab.Http("/error")}}", "failureThreshold": 1,
                  "conditions": ["any(200, 204) == [STATUS]"] } ] } ] }
            """;
        await using var app = new MonitorAppFactory(catalog);

        await app.NextCycleAsync();

        Assert.Equal("up", await app.EndpointStatusAsync("gatus-left", "up"));
        var down = await app.EndpointAsync("gatus-left", "down");
        Assert.Equal("down", down.GetProperty("status").GetString());
        Assert.Equal("condition failed: any(200, 204) == [STATUS] (500)", down.GetProperty("lastError").GetString());
    }
}
