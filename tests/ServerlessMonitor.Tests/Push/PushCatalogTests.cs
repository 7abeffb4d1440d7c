using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Tests.Push;

public class PushCatalogTests
{
    private static string Catalog(string endpoint) =>
        $$"""{ "services": [ { "id": "jobs", "name": "Jobs", "endpoints": [ {{endpoint}} ] } ] }""";

    [Fact]
    public void Load_PushEvery_ReadsExpectationWithPushDefaults()
    {
        var result = CatalogLoader.Load(Catalog("""{ "id": "backup", "kind": "push", "every": "00:05:00", "grace": "00:02:00", "maxRunTime": "00:30:00", "tokenSetting": "Push:Backup" }"""));

        Assert.Empty(result.Errors);
        var endpoint = result.Catalog!.Services[0].Endpoints[0];
        Assert.Equal(EndpointKind.Push, endpoint.Kind);
        Assert.Equal(TimeSpan.FromMinutes(5), endpoint.Push!.Every);
        Assert.Equal(TimeSpan.FromMinutes(2), endpoint.Push.Grace);
        Assert.Equal(TimeSpan.FromMinutes(30), endpoint.Push.MaxRunTime);
        Assert.Equal("Push:Backup", endpoint.Push.TokenSetting);
        Assert.Equal((1, 1), (endpoint.FailureThreshold, endpoint.SuccessThreshold));
        Assert.Empty(endpoint.Conditions);
        Assert.Equal("heartbeat every 00:05:00", endpoint.Target);
    }

    [Fact]
    public void Load_PushCronWithZone_ReadsScheduleInThatZone()
    {
        var result = CatalogLoader.Load(Catalog("""{ "id": "nightly", "kind": "push", "cron": "30 2 * * *", "timeZone": "Europe/Berlin" }"""));

        Assert.Empty(result.Errors);
        var push = result.Catalog!.Services[0].Endpoints[0].Push!;
        Assert.Equal("Europe/Berlin", push.TimeZone.Id);
        Assert.Equal(TimeSpan.FromMinutes(1), push.Grace);
        // 02:30 in Berlin in winter is 01:30 UTC.
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 30, 0, TimeSpan.Zero), push.NextAfter(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("""{ "id": "p", "kind": "push" }""", "services[0].endpoints[0]: a push endpoint needs exactly one of 'every'")]
    [InlineData("""{ "id": "p", "kind": "push", "every": "00:05:00", "cron": "0 2 * * *" }""", "services[0].endpoints[0]: a push endpoint needs exactly one of 'every'")]
    [InlineData("""{ "id": "p", "kind": "push", "every": "five minutes" }""", "services[0].endpoints[0].every: 'five minutes' is not a duration")]
    [InlineData("""{ "id": "p", "kind": "push", "every": "00:00:01" }""", "services[0].endpoints[0].every: must be between")]
    [InlineData("""{ "id": "p", "kind": "push", "cron": "0 2 * *" }""", "services[0].endpoints[0].cron: '0 2 * *' has 4 fields")]
    [InlineData("""{ "id": "p", "kind": "push", "cron": "0 25 * * *" }""", "services[0].endpoints[0].cron: '0 25 * * *' is not a cron expression")]
    [InlineData("""{ "id": "p", "kind": "push", "cron": "0 2 * * *", "timeZone": "Mars/Olympus" }""", "services[0].endpoints[0].timeZone: 'Mars/Olympus' is not an IANA time zone id")]
    [InlineData("""{ "id": "p", "kind": "push", "cron": "0 2 * * *", "timeZone": "W. Europe Standard Time" }""", "services[0].endpoints[0].timeZone: 'W. Europe Standard Time' is not an IANA")]
    [InlineData("""{ "id": "p", "kind": "push", "every": "00:05:00", "timeZone": "Europe/Berlin" }""", "services[0].endpoints[0].timeZone: only with 'cron'")]
    [InlineData("""{ "id": "p", "kind": "push", "every": "00:05:00", "grace": "-00:01:00" }""", "services[0].endpoints[0].grace: must be between")]
    [InlineData("""{ "id": "p", "kind": "push", "every": "00:05:00", "maxRunTime": "8.00:00:00" }""", "services[0].endpoints[0].maxRunTime: must be between")]
    [InlineData("""{ "id": "p", "kind": "push", "every": "00:05:00", "tokenSetting": "smp_abc def" }""", "services[0].endpoints[0].tokenSetting: must name an app setting")]
    [InlineData("""{ "id": "p", "kind": "http", "url": "https://example.com/", "every": "00:05:00" }""", "services[0].endpoints[0].every: only for kind 'push'")]
    [InlineData("""{ "id": "p", "kind": "heartbeat" }""", "services[0].endpoints[0].kind: unknown kind 'heartbeat' (expected http, tcp, dns, tls or push)")]
    public void Load_InvalidPushEndpoint_ReportsProblemWithItsPath(string endpoint, string expected)
    {
        var result = CatalogLoader.Load(Catalog(endpoint));

        Assert.Null(result.Catalog);
        Assert.Contains(result.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SixFieldCron_TakesSecondsFirst()
    {
        var push = CatalogLoader.Load(Catalog("""{ "id": "p", "kind": "push", "cron": "15 */10 * * * *" }""")).Catalog!.Services[0].Endpoints[0].Push!;

        Assert.Equal(new DateTimeOffset(2026, 11, 21, 12, 10, 15, TimeSpan.Zero), push.NextAfter(new DateTimeOffset(2026, 11, 21, 12, 0, 15, TimeSpan.Zero)));
    }

    [Fact]
    public async Task OutageLabCatalog_Shipped_HasAPushExampleWithItsTokenInASetting()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "OutageLab", "monitors.lab.json");

        var catalog = CatalogLoader.Load(await File.ReadAllTextAsync(path)).Catalog!;

        var push = Assert.Single(catalog.AllEndpoints(), e => e.Endpoint.Kind == EndpointKind.Push);
        Assert.Equal(("lab-heartbeat", "job", "Lab:PushToken"), (push.Service.Id, push.Endpoint.Id, push.Endpoint.Push!.TokenSetting));
    }
}
