using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Admin;

public class ProbeNowTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task ProbeNow_NeverProbedEndpoint_FreshResultAndStatusUpdated()
    {
        const string name = "adm-probe";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), AdminHarness.WithKey());
        Assert.Equal("unknown", await app.EndpointStatusAsync(name));

        using var response = await app.AdminClient().PostAsync($"/api/admin/probe/{name}/web", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("up", "up", 200), (result.GetProperty("outcome").GetString(), result.GetProperty("status").GetString(), result.GetProperty("httpStatus").GetInt32()));
        Assert.Equal(app.Clock.GetUtcNow(), result.GetProperty("checkedAt").GetDateTimeOffset());
        var endpoint = await app.EndpointAsync(name);
        Assert.Equal("up", endpoint.GetProperty("status").GetString());
        Assert.Equal(app.Clock.GetUtcNow(), endpoint.GetProperty("lastCheck").GetDateTimeOffset());
    }

    [Fact]
    public async Task ProbeNow_EndpointFailing_ReportsErrorAndCountsTowardsThreshold()
    {
        const string name = "adm-probe-fail";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), AdminHarness.WithKey());
        await app.NextCycleAsync();
        fixture.Lab.Switches.Set(name, 503);
        app.Clock.Advance(TimeSpan.FromSeconds(10));

        var result = await (await app.AdminClient().PostAsync($"/api/admin/probe/{name}/web", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(("down", "up", 503), (result.GetProperty("outcome").GetString(), result.GetProperty("status").GetString(), result.GetProperty("httpStatus").GetInt32()));
        Assert.Equal("http-status", result.GetProperty("errorKind").GetString());
        Assert.Equal(2, result.GetProperty("attempts").GetInt32());
        Assert.Contains(result.GetProperty("conditions").EnumerateArray(), c => c.GetString()!.StartsWith("failed", StringComparison.Ordinal));
        var endpoint = await app.EndpointAsync(name);
        Assert.Equal(503, endpoint.GetProperty("httpStatus").GetInt32());
        Assert.Equal(app.Clock.GetUtcNow(), endpoint.GetProperty("lastCheck").GetDateTimeOffset());
    }

    [Fact]
    public async Task ProbeNow_BodyConditionFails_ShowsBodyExcerptOnly()
    {
        const string name = "adm-probe-body";
        var catalog = LabCatalog.Switches(fixture.Lab, name).Replace("\"[STATUS] == 200\"", "\"[BODY].status == UP\"", StringComparison.Ordinal);
        await using var app = new MonitorAppFactory(catalog, AdminHarness.WithKey());
        fixture.Lab.Switches.Set(name, 503);

        var failed = await (await app.AdminClient().PostAsync($"/api/admin/probe/{name}/web", null)).Content.ReadFromJsonAsync<JsonElement>();
        fixture.Lab.Switches.Set(name, 200);
        app.Clock.Advance(TimeSpan.FromSeconds(10));
        var passed = await (await app.AdminClient().PostAsync($"/api/admin/probe/{name}/web", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(("down", "condition"), (failed.GetProperty("outcome").GetString(), failed.GetProperty("errorKind").GetString()));
        Assert.Equal("""{"status":"DOWN"}""", failed.GetProperty("bodyExcerpt").GetString());
        Assert.Equal("up", passed.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, passed.GetProperty("bodyExcerpt").ValueKind);
    }

    [Theory]
    [InlineData("nope/web", "Unknown service")]
    [InlineData("adm-probe-404/api", "Unknown endpoint")]
    public async Task ProbeNow_UnknownTarget_NotFound(string path, string title)
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "adm-probe-404"), AdminHarness.WithKey());

        using var response = await app.AdminClient().PostAsync($"/api/admin/probe/{path}", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(title, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }
}
