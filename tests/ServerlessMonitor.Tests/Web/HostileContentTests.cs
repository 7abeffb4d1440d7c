using System.Net;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Admin;
using ServerlessMonitor.Incidents;
using ServerlessMonitor.Tests.Admin;
using ServerlessMonitor.Tests.Alerts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Web;

/// <summary>A probed site answers with control characters, ANSI escapes and broken surrogates: feed, page, badges and logs hold.</summary>
public class HostileContentTests
{
    // Escaped in the JSON, so the parsed value really holds U+0001, ESC and (in the second field) a lone surrogate.
    private const string HostileJson = """{"status":"\u0001DOWN\u001b[31m\u001b[2J","detail":"a\ud800b"}""";

    private static Task<LoopbackReceiver> HostileTargetAsync() => LoopbackReceiver.StartAsync(async (_, response) =>
    {
        response.ContentType = "application/json";
        await response.WriteAsync(HostileJson);
    });

    private static string Catalog(Uri url) => $$"""
        { "services": [
            { "id": "hostile", "name": "Hostile", "endpoints": [
                { "id": "web", "url": "{{url}}", "failureThreshold": 1, "conditions": ["[BODY].status == UP"] },
                { "id": "broken", "url": "{{url}}", "failureThreshold": 1, "conditions": ["[BODY].detail == UP"] } ] } ] }
        """;

    [Fact]
    public async Task Outputs_ControlCharactersFromProbedBodyAndInAStoredNote_FeedPageBadgesAnswerAndLogsAreEscaped()
    {
        await using var target = await HostileTargetAsync();
        await using var app = new MonitorAppFactory(Catalog(target.Url), AdminHarness.WithKey());
        await app.NextCycleAsync();
        var incidentId = (await app.IncidentsAsync("hostile")).EnumerateArray().First().GetProperty("id").GetString()!;
        // A note stored before notes were validated (or written by hand into the table) holds anything.
        await app.Services.GetRequiredService<IncidentNoteWriter>()
            .AppendAsync(incidentId, new IncidentNote(app.Clock.GetUtcNow(), "identified", "bad\u0001note\uD800 \u001b[0m"), CancellationToken.None);
        var client = app.CreateClient();

        using var feed = await client.GetAsync("/api/feed.atom");
        using var page = await client.GetAsync("/");
        using var badge = await client.GetAsync("/api/badges/hostile/status.svg");

        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        var xml = await feed.Content.ReadAsStringAsync();
        var document = XDocument.Parse(xml);
        Assert.Contains("\uFFFDDOWN\uFFFD[31m", document.Root!.Value);
        Assert.Contains("bad\uFFFDnote\uFFFD", document.Root.Value);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain('\u0001', html);
        Assert.DoesNotContain("&#x1;", html, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', html);
        Assert.Equal(HttpStatusCode.OK, badge.StatusCode);
        XDocument.Parse(await badge.Content.ReadAsStringAsync());

        var transitions = app.Logs.Entries.Where(e => e.Message.Contains("hostile/web", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(transitions);
        Assert.All(app.Logs.Entries, e => Assert.DoesNotContain(e.Message, c => c is '\u001b' or '\u0001' || char.IsSurrogate(c)));
        Assert.Contains(transitions, e => e.Message.Contains("\\u001b[31m", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Probe_BodyValueWithALoneSurrogate_ConditionFailsShowingIt_CycleCompletes()
    {
        await using var target = await HostileTargetAsync();
        await using var app = new MonitorAppFactory(Catalog(target.Url));

        await app.NextCycleAsync();

        var broken = await app.EndpointAsync("hostile", "broken");
        Assert.Equal("down", broken.GetProperty("status").GetString());
        Assert.Equal("condition", broken.GetProperty("errorKind").GetString());
        Assert.Contains("[BODY].detail (", broken.GetProperty("lastError").GetString());
        Assert.Equal("down", await app.EndpointStatusAsync("hostile", "web"));
    }
}
