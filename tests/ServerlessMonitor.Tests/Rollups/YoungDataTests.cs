using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Rollups;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Rollups;

/// <summary>
/// Figures of young data say what span they rest on (fake clock: the app starts at 12:00, each cycle is a minute):
/// a window measured below Web:MinCoverage names its span, the yearly downtime waits for a week of data, and the
/// API carries measuredSeconds beside each figure.
/// </summary>
public class YoungDataTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Figures_OneMinuteOfADeadEndpoint_SpanShownNoYearlyDowntime()
    {
        const string name = "young-minute";
        fixture.Lab.Switches.Set(name, 500);
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name));
        await app.NextCycleAsync();

        var (figures, row, html) = await ReadAsync(app, name);

        Assert.Equal(0, figures.GetProperty("uptime").GetProperty("h24").GetDouble());
        Assert.Equal(60, figures.GetProperty("uptime").GetProperty("h24MeasuredSeconds").GetInt64());
        Assert.Equal(60, figures.GetProperty("uptime").GetProperty("d7MeasuredSeconds").GetInt64());
        Assert.Equal(60, figures.GetProperty("uptime").GetProperty("d30MeasuredSeconds").GetInt64());
        Assert.Equal(60, figures.GetProperty("responseTime").GetProperty("measuredSeconds").GetInt64());
        Assert.Equal(60, row.GetProperty("measuredSeconds").GetInt64());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("downtimeHoursPerYear").ValueKind);
        Assert.Contains("Uptime 24 h 0% over 1 min measured", html);
        Assert.Contains("<td>not enough data yet</td>", html);
        Assert.DoesNotContain("365 d 0 h", html);
    }

    [Fact]
    public async Task Figures_ThreeHoursOfData_ShownOverThreeHoursMeasured()
    {
        const string name = "young-hours";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name));
        var now = app.Clock.GetUtcNow();
        var hour = Checks(60, down: 0);
        await InsertAsync(app, name, [.. Enumerable.Range(1, 3).Select(h => (RollupKeys.Hourly(now.AddHours(-h), "local"), hour))]);
        await app.NextCycleAsync(); // 12:01: three full hours and a minute

        var (figures, row, html) = await ReadAsync(app, name);

        const long measured = (3 * 60 + 1) * 60;
        Assert.Equal(1, figures.GetProperty("uptime").GetProperty("h24").GetDouble());
        Assert.Equal(measured, figures.GetProperty("uptime").GetProperty("h24MeasuredSeconds").GetInt64());
        Assert.Equal(measured, figures.GetProperty("responseTime").GetProperty("measuredSeconds").GetInt64());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("downtimeHoursPerYear").ValueKind);
        Assert.Contains("Uptime 24 h 100% over 3 h 1 min measured", html);
        Assert.Matches("response time p50 \\d+ ms, p95 \\d+ ms over 3 h 1 min measured", html);
        Assert.Contains("<td>not enough data yet</td>", html);
    }

    [Fact]
    public async Task Figures_ThirtyDaysOfData_WindowsCoveredAndYearlyDowntimeShown()
    {
        const string name = "young-month";
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, name));
        var now = app.Clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await InsertAsync(app, name,
        [
            .. Enumerable.Range(1, 24).Select(h => (RollupKeys.Hourly(now.AddHours(-h), "local"), Checks(60, down: 0))),
            .. Enumerable.Range(1, 29).Select(d => (RollupKeys.Daily(MeasuredSpan.StartOf(today.AddDays(-d)), "local"), Checks(1440, down: d == 5 ? 10 : 0))),
        ]);
        await app.NextCycleAsync();

        var (figures, row, html) = await ReadAsync(app, name);

        var uptime = figures.GetProperty("uptime");
        Assert.Equal(86_400, uptime.GetProperty("h24MeasuredSeconds").GetInt64());
        Assert.Equal((6 * 1440 + 1) * 60, uptime.GetProperty("d7MeasuredSeconds").GetInt64());
        Assert.Equal((29 * 1440 + 1) * 60, uptime.GetProperty("d30MeasuredSeconds").GetInt64());
        Assert.Equal((29 * 1440 + 1) * 60, row.GetProperty("measuredSeconds").GetInt64());
        Assert.True(row.GetProperty("downtimeHoursPerYear").GetDouble() > 0);
        Assert.DoesNotContain("not enough data yet", html);
        Assert.Matches("Uptime 24 h 100% · 7 d [0-9.]+% · 30 d [0-9.]+% · response time p50 \\d+ ms, p95 \\d+ ms<", System.Net.WebUtility.HtmlDecode(html));
        Assert.Contains("% over 29 d 0 h measured</td>", html); // the comparison's year is not covered yet
    }

    private static RollupTotals Checks(int count, int down)
    {
        var t = RollupTotals.Empty;
        for (var i = 0; i < count; i++)
        {
            t = t.Record(i < down ? ProbeOutcome.Down : ProbeOutcome.Up, maintenance: false, responseMs: 120, answered: true);
        }
        return t;
    }

    private static async Task InsertAsync(MonitorAppFactory app, string name, IEnumerable<(string Key, RollupTotals Totals)> rows)
    {
        var store = app.Services.GetRequiredService<ITableStore>();
        var tables = app.Services.GetRequiredService<MonitorTables>();
        foreach (var (key, totals) in rows)
        {
            await store.ExecuteAsync(tables.Endpoints, TableOperation.Insert(new TableEntity(MonitorTables.EndpointPartition(name, "web"), key, totals.ToProperties())));
        }
    }

    private static async Task<(JsonElement Figures, JsonElement Row, string Html)> ReadAsync(MonitorAppFactory app, string name)
    {
        var client = app.CreateClient();
        var status = await client.GetFromJsonAsync<JsonElement>($"/api/status/{name}");
        var compare = await client.GetFromJsonAsync<JsonElement>("/api/compare?days=365");
        var row = Assert.Single(compare.GetProperty("services").EnumerateArray());
        return (status.GetProperty("figures"), row, await client.GetStringAsync("/"));
    }
}
