using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Admin;

public class MaintenanceAdminTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task AddWindow_FailingEndpointInside_MaintenanceAndNoDownEvent_DeletedWindow_DownAgain()
    {
        const string name = "adm-mw";
        await using var receivers = await AlertReceivers.StartAsync();
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), AdminHarness.WithKey(receivers.Settings()));
        var admin = app.AdminClient();
        using var created = await admin.PostAsJsonAsync("/api/admin/maintenance", new
        {
            service = name, endpoint = "web", start = app.Clock.GetUtcNow().ToString("O"), duration = "02:00:00",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var window = await created.Content.ReadFromJsonAsync<JsonElement>();
        fixture.Lab.Switches.Set(name, 500);

        for (var i = 0; i < 5; i++)
        {
            await app.NextCycleAsync();
        }

        Assert.Equal("maintenance", await app.EndpointStatusAsync(name));
        Assert.Empty(receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
        var listed = Assert.Single((await admin.GetFromJsonAsync<JsonElement>("/api/admin/maintenance")).GetProperty("windows").EnumerateArray());
        Assert.Equal(("admin", true), (listed.GetProperty("source").GetString(), listed.GetProperty("active").GetBoolean()));
        Assert.Equal(window.GetProperty("id").GetString(), listed.GetProperty("id").GetString());

        using var deleted = await admin.DeleteAsync($"/api/admin/maintenance/{window.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }
        Assert.Equal("down", await app.EndpointStatusAsync(name));
        Assert.Single(receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
    }

    [Fact]
    public async Task AddWindow_AppRestarted_WindowStillApplies()
    {
        const string name = "adm-mw-restart";
        using var dir = new TempDirectory();
        var settings = AdminHarness.WithKey(new Dictionary<string, string?> { ["Storage:SqlitePath"] = dir.File("restart.db") });
        await using (var first = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), settings))
        {
            using var created = await first.AdminClient().PostAsJsonAsync("/api/admin/maintenance", new
            {
                service = name, start = "2026-11-14T11:00:00Z", duration = "03:00:00", every = "7.00:00:00",
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        await using var second = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), settings);
        fixture.Lab.Switches.Set(name, 503);

        for (var i = 0; i < 4; i++)
        {
            await second.NextCycleAsync();
        }

        Assert.Equal("maintenance", await second.EndpointStatusAsync(name));
        var listed = Assert.Single((await second.AdminClient().GetFromJsonAsync<JsonElement>("/api/admin/maintenance")).GetProperty("windows").EnumerateArray());
        Assert.Equal("7.00:00:00", listed.GetProperty("every").GetString());
    }

    [Fact]
    public async Task ListWindows_CatalogWindow_ListedWithoutId()
    {
        const string name = "adm-mw-catalog";
        var catalog = LabCatalog.Switches(fixture.Lab, name).TrimEnd().TrimEnd('}') +
            $$""", "maintenance": [ { "service": "{{name}}", "start": "2026-12-01T02:00:00Z", "duration": "01:00:00" } ] }""";
        await using var app = new MonitorAppFactory(catalog, AdminHarness.WithKey());

        var listed = Assert.Single((await app.AdminClient().GetFromJsonAsync<JsonElement>("/api/admin/maintenance")).GetProperty("windows").EnumerateArray());

        Assert.Equal(("catalog", JsonValueKind.Null, false),
            (listed.GetProperty("source").GetString(), listed.GetProperty("id").ValueKind, listed.GetProperty("active").GetBoolean()));
    }

    [Theory]
    [InlineData("""{"service":"nope","start":"2026-11-21T12:00:00Z","duration":"01:00:00"}""", "service", "unknown service 'nope'")]
    [InlineData("""{"service":"adm-mw-bad","endpoint":"api","start":"2026-11-21T12:00:00Z","duration":"01:00:00"}""", "endpoint", "has no endpoint 'api'")]
    [InlineData("""{"service":"adm-mw-bad","start":"yesterday","duration":"01:00:00"}""", "start", "not an ISO 8601")]
    [InlineData("""{"service":"adm-mw-bad","start":"2026-11-21T12:00:00Z","duration":"an hour"}""", "duration", "not a duration")]
    [InlineData("""{"service":"adm-mw-bad","start":"2026-11-21T12:00:00Z","duration":"00:00:10"}""", "duration", "must be between")]
    [InlineData("""{"service":"adm-mw-bad","start":"2026-11-21T12:00:00Z","duration":"02:00:00","every":"01:00:00"}""", "every", "must be between")]
    [InlineData("""{"start":"2026-11-21T12:00:00Z","duration":"01:00:00"}""", "service", "required")]
    [InlineData("""{"service":"adm-mw-bad","start":"2026-11-21T12:00:00Z","duration":"01:00:00","until":"x"}""", "until", "unknown property")]
    [InlineData("""[1]""", "body", "JSON object")]
    public async Task AddWindow_Invalid_BadRequestNamingTheField(string body, string field, string message)
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "adm-mw-bad"), AdminHarness.WithKey());
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await app.AdminClient().PostAsync("/api/admin/maintenance", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").GetProperty(field);
        Assert.Contains(errors.EnumerateArray(), e => e.GetString()!.Contains(message));
    }

    [Fact]
    public async Task AddWindow_NotJson_BadRequest()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "adm-mw-json"), AdminHarness.WithKey());
        using var content = new StringContent("{service:", System.Text.Encoding.UTF8, "application/json");

        using var response = await app.AdminClient().PostAsync("/api/admin/maintenance", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("not-an-id")]
    public async Task DeleteWindow_Unknown_NotFound(string id)
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "adm-mw-del"), AdminHarness.WithKey());

        using var response = await app.AdminClient().DeleteAsync($"/api/admin/maintenance/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
