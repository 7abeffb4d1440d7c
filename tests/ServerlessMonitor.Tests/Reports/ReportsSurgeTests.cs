using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Reports;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Reports;

public class ReportsSurgeTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Post_ManyDistinctClientsOnAQuietService_SurgeAndExactlyOneSurgeEventReachesTheTopic()
    {
        await using var receivers = await AlertReceivers.StartAsync();
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings(receivers.Settings()));
        var client = app.CreateClient();

        // Each client in a network of its own (a surge needs several networks, see ReportsAbuseTests).
        HttpClient From(int i) => app.ClientFrom($"203.0.{i}.7");
        for (var i = 0; i < 4; i++)
        {
            await From(i).PostAsync("feed", userAgent: $"client-{i}");
        }
        Assert.False((await client.GetReportsAsync()).GetProperty("current").GetProperty("surge").GetBoolean());
        Assert.Empty(receivers.TopicEvents("ServerlessMonitor.Reports.Surge"));

        // The fifth distinct client tips it over; concurrent ones after it must not raise a second event.
        await From(4).PostAsync("feed", userAgent: "client-4");
        await Task.WhenAll(Enumerable.Range(5, 6).Select(i => From(i).PostAsync("login", userAgent: $"client-{i}")));
        // The surge continues into the next 15-minute window: still the same surge, no new alert.
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        for (var i = 0; i < 6; i++)
        {
            await From(100 + i).PostAsync("app", userAgent: $"later-{i}");
        }

        var current = (await client.GetReportsAsync()).GetProperty("current");
        Assert.True(current.GetProperty("surge").GetBoolean());
        Assert.Equal(5, current.GetProperty("threshold").GetDouble());
        Assert.Contains("max(5, 3", current.GetProperty("rule").GetString());
        var surge = Assert.Single(receivers.TopicEvents("ServerlessMonitor.Reports.Surge"));
        Assert.Equal("services/svc", surge.GetProperty("subject").GetString());
        var data = surge.GetProperty("data");
        Assert.Equal(("svc", "Svc", "surge"), (data.GetProperty("service").GetString(), data.GetProperty("serviceName").GetString(),
            data.GetProperty("status").GetString()));
        Assert.Equal(5, data.GetProperty("reports").GetInt32());
        Assert.Equal(surge.GetProperty("id").GetString(), Assert.Single(receivers.HookEvents("ServerlessMonitor.Reports.Surge")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Post_SurgeEndsAndReturnsLater_SecondSurgeEvent()
    {
        await using var receivers = await AlertReceivers.StartAsync();
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings(receivers.Settings()));
        var client = app.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            await app.ClientFrom($"198.51.{i}.1").PostAsync("app", userAgent: $"first-{i}");
        }
        app.Clock.Advance(TimeSpan.FromHours(1));
        for (var i = 0; i < 5; i++)
        {
            await app.ClientFrom($"198.51.{i}.1").PostAsync("app", userAgent: $"second-{i}");
        }

        Assert.Equal(2, receivers.TopicEvents("ServerlessMonitor.Reports.Surge").Select(e => e.GetProperty("id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Get_ReportsOnPreviousDaysAtTheSameTimeOfDay_UsualLevelIsTheirSevenDayAverage_AndRaisesTheSurgeBar()
    {
        await using var receivers = await AlertReceivers.StartAsync();
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings(receivers.Settings()));
        var factory = app;
        var client = factory.CreateClient();
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var store = factory.Services.GetRequiredService<ITableStore>();
        var tables = factory.Services.GetRequiredService<MonitorTables>();
        // Noon is busy every day: 14 reports on 4 of the last 7 days (average 8), plus noise at other times of day
        // and 8 days ago that must not count.
        foreach (var day in new[] { 1, 2, 4, 7 })
        {
            await ReportsHarness.WriteBucketAsync(store, tables, Noon.AddDays(-day), 14);
        }
        await ReportsHarness.WriteBucketAsync(store, tables, Noon.AddDays(-1).AddHours(1), 100);
        await ReportsHarness.WriteBucketAsync(store, tables, Noon.AddDays(-8), 100);

        for (var i = 0; i < 6; i++)
        {
            await client.PostAsync("upload", userAgent: $"client-{i}");
        }

        var reports = await client.GetReportsAsync("?hours=25");
        Assert.Equal(8, reports.BucketAt(Noon).GetProperty("usual").GetDouble());
        Assert.Equal(14, reports.BucketAt(Noon.AddDays(-1)).GetProperty("total").GetInt32());
        Assert.Equal(0, reports.BucketAt(Noon.AddMinutes(-5)).GetProperty("usual").GetDouble());
        var current = reports.GetProperty("current");
        Assert.Equal((6, 8.0, 24.0), (current.GetProperty("reports").GetInt32(), current.GetProperty("usual").GetDouble(),
            current.GetProperty("threshold").GetDouble()));
        Assert.False(current.GetProperty("surge").GetBoolean());
        Assert.Empty(receivers.TopicEvents("ServerlessMonitor.Reports.Surge"));

        // The public reader agrees with the API, for the status page and the comparison table.
        var reader = factory.Services.GetRequiredService<ReportReader>();
        var summary = await reader.SummaryAsync("svc", app.Clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal((6, 8.0, false), (summary.Reports, summary.Usual, summary.Surge));
        Assert.Equal(6 + 4 * 14 + 100, await reader.CountAsync("svc", Noon.AddDays(-7), Noon.AddMinutes(5), CancellationToken.None));
        Assert.Equal(6, await reader.CountAsync("svc", Noon, Noon.AddMinutes(5), CancellationToken.None));
    }

    [Fact]
    public async Task Post_ConcurrentReportsFromDistinctClients_NoneLost()
    {
        await using var app = new MonitorAppFactory(ReportsHarness.Catalog, ReportsHarness.Settings(new Dictionary<string, string?>
        {
            ["Reports:SurgeMinimum"] = "1000",
        }));
        var client = app.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => client.PostAsync(i % 2 == 0 ? "app" : "feed", $"m{i}", $"c-{i}")));

        Assert.All(answers, a => Assert.Equal(System.Net.HttpStatusCode.Accepted, a.StatusCode));
        var bucket = (await client.GetReportsAsync()).BucketAt(Noon);
        Assert.Equal((30, 15, 15), (bucket.GetProperty("total").GetInt32(), bucket.GetProperty("kinds").GetProperty("app").GetInt32(),
            bucket.GetProperty("kinds").GetProperty("feed").GetInt32()));
        Assert.Equal(20, (await client.GetReportsAsync()).GetProperty("recentMessages").GetArrayLength());
    }

    [Theory]
    [InlineData(4, 4, new[] { 0, 0, 0, 0, 0, 0, 0 }, 0, 5, false)]
    [InlineData(5, 5, new[] { 0, 0, 0, 0, 0, 0, 0 }, 0, 5, true)]
    [InlineData(5, 3, new[] { 0, 0, 0, 0, 0, 0, 0 }, 0, 5, true)]
    [InlineData(5, 2, new[] { 0, 0, 0, 0, 0, 0, 0 }, 0, 5, false)]
    [InlineData(500, 1, new[] { 0, 0, 0, 0, 0, 0, 0 }, 0, 5, false)]
    [InlineData(20, 20, new[] { 7, 7, 7, 7, 7, 7, 7 }, 7, 21, false)]
    [InlineData(21, 21, new[] { 7, 7, 7, 7, 7, 7, 7 }, 7, 21, true)]
    [InlineData(6, 6, new[] { 14, 0, 0, 0, 0, 0, 0 }, 2, 6, true)]
    public void Evaluate_CurrentAgainstUsual_SurgeAtMaxOfMinimumAndThreeTimesUsualFromThreeNetworks(int current, int networks, int[] previousDays,
        double usual, double threshold, bool surge)
    {
        var summary = SurgeRule.Evaluate(Noon.AddMinutes(7), current, networks, previousDays, new ReportsOptions());

        Assert.Equal((usual, threshold, surge), (summary.Usual, summary.Threshold, summary.Surge));
        Assert.Equal((Noon.AddMinutes(-5), Noon.AddMinutes(10)), (summary.WindowStart, summary.WindowEnd));
    }
}
