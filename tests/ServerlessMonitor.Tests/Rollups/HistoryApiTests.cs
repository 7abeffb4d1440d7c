using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.ReadModel;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Rollups;

/// <summary>History from rollups and raw results, measured against the outage lab.</summary>
public class HistoryApiTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Status_AfterOutage_UptimeAndPercentilesComeFromMeasuredChecks()
    {
        const string name = "hist-uptime";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name));
        for (var i = 0; i < 6; i++)
        {
            await app.NextCycleAsync();
        }
        fixture.Lab.Switches.Set(name, 500);
        for (var i = 0; i < 2; i++)
        {
            await app.NextCycleAsync();
        }
        fixture.Lab.Switches.Up(name);
        for (var i = 0; i < 2; i++)
        {
            await app.NextCycleAsync();
        }

        var status = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/status/{name}");
        var figures = status.GetProperty("figures");

        // 10 checks, 2 failed.
        Assert.Equal(0.8, figures.GetProperty("uptime").GetProperty("h24").GetDouble(), 6);
        Assert.Equal(0.8, figures.GetProperty("uptime").GetProperty("d30").GetDouble(), 6);
        Assert.True(figures.GetProperty("responseTime").GetProperty("p95").GetDouble() > 0);
        Assert.Equal("local", status.GetProperty("regions")[0].GetProperty("region").GetString());
        Assert.Contains(status.GetProperty("advice").EnumerateArray(), a => a.GetString()!.Contains("is up for us"));

        var bars = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/services/{name}/uptime?days=7");
        Assert.Equal(7, bars.GetProperty("bars").GetArrayLength());
        var today = bars.GetProperty("bars")[6];
        Assert.Equal((10, 2), (today.GetProperty("checks").GetInt64(), today.GetProperty("down").GetInt64()));
        Assert.Equal(JsonValueKind.Null, bars.GetProperty("bars")[0].GetProperty("uptime").ValueKind);
    }

    [Fact]
    public async Task Checks_MoreThanAPage_FollowsContinuationNewestFirst()
    {
        const string name = "hist-checks";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name));
        for (var i = 0; i < 7; i++)
        {
            await app.NextCycleAsync();
        }
        var client = app.CreateClient();
        var from = Uri.EscapeDataString(app.Clock.GetUtcNow().AddHours(-1).ToString("O"));

        var seen = new List<DateTimeOffset>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = $"/api/services/{name}/checks?endpoint=web&limit=3&from={from}" + (token is null ? "" : $"&continuation={Uri.EscapeDataString(token)}");
            var page = await client.GetFromJsonAsync<JsonElement>(url);
            seen.AddRange(page.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("checkedAt").GetDateTimeOffset()));
            token = page.GetProperty("continuationToken").GetString();
            pages++;
        }
        while (token is not null);

        Assert.Equal(7, seen.Count);
        Assert.Equal(3, pages);
        Assert.Equal(seen.OrderByDescending(t => t), seen);
    }

    [Fact]
    public async Task Compare_LabServiceWithRealIncident_MeasuredNumbers()
    {
        const string name = "hist-compare";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name));
        await app.NextCycleAsync();
        fixture.Lab.Switches.Set(name, 500);
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }
        fixture.Lab.Switches.Up(name);
        for (var i = 0; i < 4; i++)
        {
            await app.NextCycleAsync();
        }
        (await app.CreateClient().PostAsJsonAsync($"/api/services/{name}/reports", new { kind = "feed" })).EnsureSuccessStatusCode();

        var compare = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/compare?days=30");
        var row = Assert.Single(compare.GetProperty("services").EnumerateArray());

        // 8 checks, 3 failed: uptime 62.5 % over 8 minutes, too little to scale to a year.
        Assert.Equal(0.625, row.GetProperty("uptime").GetDouble(), 6);
        Assert.Equal(8 * 60, row.GetProperty("measuredSeconds").GetInt64());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("downtimeHoursPerYear").ValueKind);
        Assert.Equal(1, row.GetProperty("incidents").GetInt32());
        Assert.Equal(1, row.GetProperty("reports").GetInt64());
        Assert.Equal(8, row.GetProperty("checks").GetInt64());
        Assert.True(row.GetProperty("p95Ms").GetDouble() > 0);
        Assert.Equal(30, compare.GetProperty("days").GetInt32());
    }

    [Fact]
    public async Task StatusPage_HistoryShowsNinetyDays_ComparisonCountsTheYearsOutages()
    {
        // The page reads a service's incidents once for both tables: its history shows the last 90 days, its
        // comparison counts the outages of the last 365.
        const string name = "hist-page";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name));
        await app.NextCycleAsync();
        var store = app.Services.GetRequiredService<ITableStore>();
        var tables = app.Services.GetRequiredService<MonitorTables>();
        var now = app.Clock.GetUtcNow();
        foreach (var daysAgo in new[] { 10, 100, 400 })
        {
            var start = now.AddDays(-daysAgo);
            await store.ExecuteAsync(tables.Endpoints, TableOperation.Insert(new TableEntity(MonitorTables.EndpointPartition(name, "web"),
                MonitorTables.IncidentKey(start), new Dictionary<string, object?>
                {
                    ["Kind"] = "outage", ["CauseLabel"] = "server errors", ["Evidence"] = $"began {daysAgo} days ago", ["Start"] = start,
                    ["End"] = start.AddHours(1), ["Regions"] = "local", ["Checks"] = 60L, ["FailedChecks"] = 60L,
                })));
        }
        // Written behind the monitor's back: its read model keeps incidents until one of its own writers says they changed.
        app.Services.GetRequiredService<ChangedServices>().RarelyChanged();
        await app.NextCycleAsync(); // the read snapshot is rebuilt after the cycle

        var html = await app.CreateClient().GetStringAsync("/");

        Assert.Contains("began 10 days ago", html);
        Assert.DoesNotContain("began 100 days ago", html);
        Assert.DoesNotContain("began 400 days ago", html);
        var row = Regex.Match(html, $"<tr><th scope=\"row\">Lab {name}</th>(?:<td>[^<]*</td>){{4}}<td>(\\d+)</td>");
        Assert.True(row.Success, "the comparison table has a row for the service");
        Assert.Equal("2", row.Groups[1].Value);
    }

    [Fact]
    public async Task Compare_Year_IncidentsCountedOverTheSameCalendarDaysAsUptime()
    {
        const string name = "hist-calendar";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name));
        await app.NextCycleAsync();
        fixture.Lab.Switches.Set(name, 500);
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }
        fixture.Lab.Switches.Up(name);
        await app.NextCycleAsync();
        await app.NextCycleAsync();
        var incident = Assert.Single((await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/services/{name}/incidents"))
            .GetProperty("incidents").EnumerateArray());
        var start = incident.GetProperty("start").GetDateTimeOffset();

        // A year later, minus less than the incident's time of day: inside the rolling 365 x 24 h, before the calendar year's first day.
        var early = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, start.UtcDateTime.TimeOfDay.Ticks / 2));
        app.Clock.Advance(start.AddDays(365) - early - app.Clock.GetUtcNow());
        await app.NextCycleAsync();
        var compare = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/compare?days=365");
        var row = Assert.Single(compare.GetProperty("services").EnumerateArray());

        Assert.True(DaySeal.Start(DateOnly.FromDateTime(start.UtcDateTime).AddDays(1)) == compare.GetProperty("from").GetDateTimeOffset(),
            $"start {start:O}, now {app.Clock.GetUtcNow():O}: {compare}");
        Assert.Equal(1, row.GetProperty("checks").GetInt64()); // the outage's checks fell out with their day
        Assert.Equal(0, row.GetProperty("incidents").GetInt32());
    }

    [Theory]
    [InlineData("/api/compare?days=0", "days")]
    [InlineData("/api/services/{0}/checks?endpoint=nope", "endpoint")]
    [InlineData("/api/services/{0}/checks?limit=0", "limit")]
    [InlineData("/api/services/{0}/checks?from=yesterday", "from")]
    [InlineData("/api/services/{0}/checks?region=EU%20WEST", "region")]
    [InlineData("/api/services/{0}/uptime?days=400", "days")]
    [InlineData("/api/services/{0}/uptime?days=abc", "days")]
    [InlineData("/api/services/{0}/incidents?to=never", "to")]
    public async Task History_BadQuery_400NamingTheParameter(string route, string parameter)
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "hist-bad"));

        using var response = await app.CreateClient().GetAsync(string.Format(route, "hist-bad"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains($"'{parameter}'", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/services/nope/checks")]
    [InlineData("/api/services/nope/uptime")]
    [InlineData("/api/services/nope/incidents")]
    public async Task History_UnknownService_404(string route)
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "hist-404"));

        using var response = await app.CreateClient().GetAsync(route);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
