using ServerlessMonitor.Catalog;

namespace ServerlessMonitor.Tests.Catalog;

public class CatalogLoaderTests
{
    private const string Valid = """
        {
          "services": [
            { "id": "tiktok", "name": "TikTok", "category": "social",
              "endpoints": [
                { "id": "web", "kind": "http", "url": "https://www.tiktok.com/", "interval": "00:01:00",
                  "timeout": "00:00:10", "conditions": ["[STATUS] < 400", "[RESPONSE_TIME] < 3000"],
                  "degradedWhen": ["[RESPONSE_TIME] > 1500"] },
                { "id": "dns", "kind": "dns", "host": "www.tiktok.com", "conditions": ["[DNS_RCODE] == NOERROR"] },
                { "id": "edge", "kind": "tcp", "host": "127.0.0.1", "port": 443, "failureThreshold": 5, "successThreshold": 1 },
                { "id": "cert", "kind": "tls", "host": "www.tiktok.com" }
              ] } ],
          "maintenance": [ { "service": "tiktok", "start": "2026-12-01T02:00:00Z", "duration": "01:00:00", "every": "7.00:00:00" } ]
        }
        """;

    [Fact]
    public void Load_DesignExample_BuildsServicesEndpointsAndWindows()
    {
        var result = CatalogLoader.Load(Valid);

        Assert.Empty(result.Errors);
        var service = Assert.Single(result.Catalog!.Services);
        Assert.Equal(("tiktok", "TikTok", "social"), (service.Id, service.Name, service.Category));
        Assert.Equal(["web", "dns", "edge", "cert"], service.Endpoints.Select(e => e.Id));
        var web = service.Endpoints[0];
        Assert.Equal(new Uri("https://www.tiktok.com/"), web.Url);
        Assert.Equal(TimeSpan.FromSeconds(10), web.Timeout);
        Assert.Equal(["[STATUS] < 400", "[RESPONSE_TIME] < 3000"], web.Conditions.Select(c => c.Text));
        Assert.Single(web.DegradedWhen);
        Assert.Equal((3, 2), (web.FailureThreshold, web.SuccessThreshold));
        Assert.Equal((5, 1), (service.Endpoints[2].FailureThreshold, service.Endpoints[2].SuccessThreshold));
        Assert.Equal(443, service.Endpoints[3].Port);
        var window = Assert.Single(result.Catalog.Maintenance);
        Assert.Equal(TimeSpan.FromDays(7), window.Every);
    }

    [Fact]
    public void Load_EndpointWithoutConditions_GetsKindDefaults()
    {
        var catalog = CatalogLoader.Load(Valid).Catalog!;
        var endpoints = catalog.Services[0].Endpoints;

        Assert.Equal(["[CONNECTED] == true"], endpoints[2].Conditions.Select(c => c.Text));
        Assert.Equal(["[CONNECTED] == true"], endpoints[3].Conditions.Select(c => c.Text));
    }

    [Fact]
    public void Load_ManyProblems_ReportsEveryOneWithItsPath()
    {
        var json = """
            { "services": [
                { "id": "ok", "name": "Ok", "endpoints": [ { "id": "a", "url": "https://example.org/" } ] },
                { "id": "Bad Id", "name": "", "endpoints": [] },
                { "id": "svc", "name": "Svc", "endpoints": [
                    { "id": "web", "kind": "http", "url": "ftp://example.org/" },
                    { "id": "tcp", "kind": "tcp", "host": "example.org" },
                    { "id": "t", "kind": "http", "url": "https://example.org/", "interval": "00:00:10", "timeout": "00:00:30" },
                    { "id": "x", "kind": "smtp", "host": "mail" },
                    { "id": "y", "url": "https://example.org/", "intervall": "00:01:00", "failureThreshold": 0 }
                ] } ],
              "maintenance": [ { "service": "nope", "start": "yesterday", "duration": "01:00:00" } ] }
            """;

        var result = CatalogLoader.Load(json);

        Assert.Null(result.Catalog);
        string[] expected =
        [
            "services[1].id: 'Bad Id' must be",
            "services[1].name: must not be empty",
            "services[1].endpoints: required",
            "services[2].endpoints[0].url: not an absolute http(s) URL",
            "services[2].endpoints[1].port: required for kind 'tcp'",
            "services[2].endpoints[2].timeout: must not exceed the interval",
            "services[2].endpoints[3].kind: unknown kind 'smtp'",
            "services[2].endpoints[4].intervall: unknown property",
            "services[2].endpoints[4].failureThreshold: must be a whole number from 1 to 100",
            "maintenance[0].service: unknown service 'nope'",
            "maintenance[0].start: 'yesterday' is not an ISO 8601 date",
        ];
        foreach (var e in expected)
        {
            Assert.Contains(result.Errors, actual => actual.StartsWith(e, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("[STATUS] === 200")]
    [InlineData("[STATUS]")]
    [InlineData("[NOPE] == 1")]
    public void Load_UnparseableCondition_IsCatalogErrorAtItsPath(string condition)
    {
        var json = $$"""{ "services": [ { "id": "s", "name": "S", "endpoints": [ { "id": "e", "url": "http://127.0.0.1/", "conditions": ["[STATUS] == 200", "{{condition}}"] } ] } ] }""";

        var result = CatalogLoader.Load(json);

        Assert.Null(result.Catalog);
        Assert.Contains(result.Errors, e => e.StartsWith("services[0].endpoints[0].conditions[1]: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json", "$: not valid JSON")]
    [InlineData("[]", "$: the catalog must be a JSON object")]
    [InlineData("{}", "services: required")]
    [InlineData("""{ "services": [ { "id": "a", "name": "A", "endpoints": [ { "id": "e", "url": "http://x/" } ] }, { "id": "a", "name": "B", "endpoints": [ { "id": "e", "url": "http://x/" } ] } ] }""", "services[1].id: duplicate service id 'a'")]
    [InlineData("""{ "services": [ { "id": "a", "name": "A", "endpoints": [ { "id": "e", "url": "http://x/" }, { "id": "e", "url": "http://y/" } ] } ] }""", "services[0].endpoints: duplicate endpoint id 'e'")]
    [InlineData("""{ "services": [ { "id": "a", "name": "A", "endpoints": [ { "id": "e", "kind": "dns" } ] } ] }""", "services[0].endpoints[0].host: required")]
    [InlineData("""{ "services": [ { "id": "a", "name": "A", "endpoints": [ { "id": "e", "url": "http://x/", "interval": "soon" } ] } ] }""", "services[0].endpoints[0].interval: 'soon' is not a duration")]
    public void Load_InvalidDocument_ExplainsWhatIsWrong(string json, string expectedPrefix)
    {
        var result = CatalogLoader.Load(json);

        Assert.Null(result.Catalog);
        Assert.Contains(result.Errors, e => e.StartsWith(expectedPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ShippedCatalog_IsValidAndHasTheFiveServices()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "monitors.json");

        var result = CatalogLoader.Load(File.ReadAllText(path));

        Assert.Empty(result.Errors);
        Assert.Equal(["tiktok", "instagram", "facebook", "x", "youtube"], result.Catalog!.Services.Select(s => s.Id));
        Assert.All(result.Catalog.Services, s => Assert.True(s.Endpoints.Count >= 3));
    }

    [Fact]
    public void Load_ShippedCatalog_EveryServiceHasAnImageBrowserCheckOverHttps()
    {
        var result = CatalogLoader.Load(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "monitors.json")));

        Assert.Empty(result.Errors);
        Assert.All(result.Catalog!.Services, s =>
        {
            Assert.NotNull(s.BrowserCheck);
            Assert.Equal(BrowserCheckMode.Image, s.BrowserCheck.Mode);
            Assert.Equal("https", s.BrowserCheck.Url.Scheme);
            Assert.Empty(s.BrowserCheck.Url.Query); // the page adds its own cache-busting query
        });
    }
}
