using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Admin;

public class IncidentNotesTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task AddNotes_RealIncident_ShownInIncidentsApiAndFeedInOrder()
    {
        const string name = "adm-notes";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), AdminHarness.WithKey());
        await app.ResolvedOutageAsync(fixture.Lab, name);
        var id = Assert.Single((await app.IncidentsAsync(name)).EnumerateArray()).GetProperty("id").GetString()!;
        var admin = app.AdminClient();

        using var first = await admin.PostAsJsonAsync($"/api/admin/incidents/{id}/notes", new { status = "identified", message = "Origin returns <500> & retries" });
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        using var second = await admin.PostAsJsonAsync($"/api/admin/incidents/{id}/notes", new { status = "resolved", message = "Fixed upstream." });

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("notes").GetArrayLength());
        var incident = Assert.Single((await app.IncidentsAsync(name)).EnumerateArray());
        var notes = incident.GetProperty("notes").EnumerateArray().ToList();
        Assert.Equal(["identified", "resolved"], notes.Select(n => n.GetProperty("status").GetString()));
        Assert.Equal("Origin returns <500> & retries", notes[0].GetProperty("message").GetString());
        Assert.Equal(app.Clock.GetUtcNow(), notes[1].GetProperty("time").GetDateTimeOffset());
        // The incident itself is untouched by the notes.
        Assert.Equal(120, incident.GetProperty("durationSeconds").GetDouble());

        var feed = XDocument.Parse(await app.CreateClient().GetStringAsync("/api/feed.atom"));
        var entry = Assert.Single(feed.Root!.Elements(Atom + "entry"));
        var content = entry.Element(Atom + "content")!;
        Assert.Contains("identified: Origin returns <500> & retries", content.Value);
        Assert.Contains("resolved: Fixed upstream.", content.Value);
        Assert.Equal(app.Clock.GetUtcNow(), DateTimeOffset.Parse(entry.Element(Atom + "updated")!.Value));
    }

    [Fact]
    public async Task AddNote_ProbesKeepUpdatingTheIncident_NoteSurvives()
    {
        const string name = "adm-notes-open";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name), AdminHarness.WithKey());
        await app.NextCycleAsync();
        fixture.Lab.Switches.Set(name, 502);
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }
        // The incident list ends before "now"; a second later the incident that just opened is in it.
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var opened = Assert.Single((await app.IncidentsAsync(name)).EnumerateArray());
        var id = opened.GetProperty("id").GetString()!;

        using var added = await app.AdminClient().PostAsJsonAsync($"/api/admin/incidents/{id}/notes", new { status = "investigating", message = "Looking." });
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var incident = Assert.Single((await app.IncidentsAsync(name)).EnumerateArray());
        Assert.Equal("Looking.", Assert.Single(incident.GetProperty("notes").EnumerateArray()).GetProperty("message").GetString());
        // The probes went on merging their counters into the same row.
        Assert.Equal(opened.GetProperty("checks").GetInt32() + 3, incident.GetProperty("checks").GetInt32());
    }

    [Theory]
    [InlineData("adm-notes-404.web.2520180149000000000")]
    [InlineData("not-an-incident")]
    public async Task AddNote_UnknownIncident_NotFound(string id)
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "adm-notes-404"), AdminHarness.WithKey());

        using var response = await app.AdminClient().PostAsJsonAsync($"/api/admin/incidents/{id}/notes", new { status = "identified", message = "x" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("fixed", "hello", "status")]
    [InlineData("identified", "", "message")]
    [InlineData("identified", null, "message")]
    public async Task AddNote_Invalid_BadRequestNamingTheField(string? status, string? message, string field)
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "adm-notes-bad"), AdminHarness.WithKey());

        using var response = await app.AdminClient().PostAsJsonAsync("/api/admin/incidents/adm-notes-bad.web.2520180149000000000/notes", new { status, message });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task AddNote_MessageOver1000Characters_BadRequest()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "adm-notes-long"), AdminHarness.WithKey());

        using var response = await app.AdminClient().PostAsJsonAsync("/api/admin/incidents/adm-notes-long.web.2520180149000000000/notes",
            new { status = "monitoring", message = new string('x', 1001) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1000", await response.Content.ReadAsStringAsync());
    }
}
