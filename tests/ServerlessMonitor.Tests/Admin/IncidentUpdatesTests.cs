using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using OutageLab;
using ServerlessMonitor.Alerts;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Admin;

/// <summary>Operator updates as a timeline: POST …/updates on both backends, the history API, the feed, the page and the Service.Update events.</summary>
[Collection("Azurite")]
public class IncidentUpdatesTests(AzuriteFixture azurite) : LabTest
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly string[] States = ["investigating", "identified", "monitoring", "resolved"];
    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task PostUpdates_FourStates_StoredInOrderShownInHistoryFeedAndPageOneEventEach(string backend)
    {
        var name = "upd-" + backend;
        using var dir = new TempDirectory();
        await using var receivers = await AlertReceivers.StartAsync();
        var settings = Backends.Settings(backend, azurite, dir.File("u.db"), "up" + Guid.NewGuid().ToString("N")[..8]).With(receivers.Settings());
        await using var app = new MonitorAppFactory(LabCatalog.Switches(Lab, name), AdminHarness.WithKey(settings));
        await app.ResolvedOutageAsync(Lab, name);
        var id = Assert.Single((await app.IncidentsAsync(name)).EnumerateArray()).GetProperty("id").GetString()!;
        var admin = app.AdminClient();

        foreach (var state in States)
        {
            using var posted = await admin.PostAsJsonAsync($"/api/admin/incidents/{id}/updates", new { state, text = $"{state} <b>now</b> & then" });
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            app.Clock.Advance(TimeSpan.FromMinutes(3));
        }

        var notes = Assert.Single((await app.IncidentsAsync(name)).EnumerateArray()).GetProperty("notes").EnumerateArray().ToList();
        Assert.Equal(States, notes.Select(n => n.GetProperty("status").GetString()));
        Assert.Equal("identified <b>now</b> & then", notes[1].GetProperty("message").GetString());
        var times = notes.Select(n => n.GetProperty("time").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);

        // One Service.Update per update, service-level subject, in order, delivered at once (no AlertsTimer run).
        var events = receivers.HookEvents(AlertTypes.ServiceUpdate);
        Assert.Equal(States, events.Select(e => e.GetProperty("data").GetProperty("status").GetString()));
        Assert.All(events, e => Assert.Equal($"services/{name}", e.GetProperty("subject").GetString()));
        Assert.All(events, e => Assert.Equal(id, e.GetProperty("data").GetProperty("incidentId").GetString()));
        Assert.Equal("monitoring <b>now</b> & then", events[2].GetProperty("data").GetProperty("message").GetString());
        Assert.Equal(4, events.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(4, receivers.TopicEvents(AlertTypes.ServiceUpdate).Count);

        var feed = XDocument.Parse(await app.CreateClient().GetStringAsync("/api/feed.atom"));
        var items = feed.Descendants(XName.Get("li", "http://www.w3.org/1999/xhtml")).Select(li => li.Value).ToList();
        Assert.Equal(States.Select(s => $"{s}: {s} <b>now</b> & then"), items.Select(i => i[(i.IndexOf(" — ", StringComparison.Ordinal) + 3)..]));
        Assert.Contains("Latest update: resolved: resolved <b>now</b> & then",
            feed.Root!.Element(Atom + "entry")!.Element(Atom + "summary")!.Value);

        var html = await app.CreateClient().GetStringAsync("/");
        Assert.Contains("identified &lt;b&gt;now&lt;/b&gt; &amp; then", html);
        Assert.DoesNotContain("<b>now</b>", html);
        var section = html[html.IndexOf($"id=\"updates-{name}\"", StringComparison.Ordinal)..];
        var positions = States.Select(s => section.IndexOf($"{s} &lt;b&gt;", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p > 0));
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public async Task PostUpdates_TwoInTheSameInstantConcurrently_BothStoredEachWithItsOwnEvent()
    {
        const string name = "upd-same-tick";
        await using var receivers = await AlertReceivers.StartAsync();
        await using var app = new MonitorAppFactory(LabCatalog.Switches(Lab, name), AdminHarness.WithKey(receivers.Settings()));
        await app.ResolvedOutageAsync(Lab, name);
        var id = Assert.Single((await app.IncidentsAsync(name)).EnumerateArray()).GetProperty("id").GetString()!;
        var admin = app.AdminClient();

        // Two updates in the same instant, posted concurrently: neither is lost, and their events do not collide.
        var posts = await Task.WhenAll(States[..2].Select(state => admin.PostAsJsonAsync($"/api/admin/incidents/{id}/updates", new { state, text = "x" })));

        // One request's delivery may find the other's event behind an event in flight (nothing overtakes): the AlertsTimer sends it.
        await app.FireTimerAsync("AlertsTimer");

        Assert.All(posts, p => Assert.Equal(HttpStatusCode.OK, p.StatusCode));
        Assert.Equal(2, Assert.Single((await app.IncidentsAsync(name)).EnumerateArray()).GetProperty("notes").GetArrayLength());
        Assert.Equal(2, receivers.HookEvents(AlertTypes.ServiceUpdate).Select(e => e.GetProperty("id").GetString()).Distinct().Count());
    }

    [Theory]
    [InlineData("fixed", "hello", "state")]
    [InlineData(null, "hello", "state")]
    [InlineData("identified", "", "text")]
    [InlineData("identified", null, "text")]
    public async Task PostUpdate_Invalid_ProblemNamingTheField(string? state, string? text, string field)
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(Lab, "upd-bad"), AdminHarness.WithKey());

        using var response = await app.AdminClient().PostAsJsonAsync("/api/admin/incidents/upd-bad.web.2520180149000000000/updates", new { state, text });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task PostUpdate_UnknownIncidentOrNoKey_NotFoundOrUnauthorized()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(Lab, "upd-404"), AdminHarness.WithKey());
        var body = new { state = "identified", text = "x" };

        using var unknown = await app.AdminClient().PostAsJsonAsync("/api/admin/incidents/upd-404.web.2520180149000000000/updates", body);
        using var anonymous = await app.AdminClient(key: null).PostAsJsonAsync("/api/admin/incidents/upd-404.web.2520180149000000000/updates", body);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task PostUpdate_TimelineFull_ConflictAndNothingWritten()
    {
        const string name = "upd-full";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(Lab, name), AdminHarness.WithKey());
        await app.ResolvedOutageAsync(Lab, name);
        var id = Assert.Single((await app.IncidentsAsync(name)).EnumerateArray()).GetProperty("id").GetString()!;
        var admin = app.AdminClient();

        HttpResponseMessage last;
        var accepted = 0;
        while ((last = await admin.PostAsJsonAsync($"/api/admin/incidents/{id}/updates", new { state = "monitoring", text = new string('x', 1000) })).IsSuccessStatusCode)
        {
            accepted++;
            Assert.True(accepted < 100, "the timeline never filled up");
        }

        Assert.Equal(HttpStatusCode.Conflict, last.StatusCode);
        Assert.Contains("no room", await last.Content.ReadAsStringAsync());
        Assert.Equal(accepted, Assert.Single((await app.IncidentsAsync(name)).EnumerateArray()).GetProperty("notes").GetArrayLength());
    }
}
