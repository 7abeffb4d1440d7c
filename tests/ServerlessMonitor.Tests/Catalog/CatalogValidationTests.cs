using System.Diagnostics;
using ServerlessMonitor.Catalog;
using ServerlessMonitor.Tests.Alerts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Catalog;

/// <summary>Header injection, duplicate keys and oversized values are load errors, each reported at its JSON path.</summary>
public class CatalogValidationTests
{
    private static string Catalog(string endpoint = "", string service = "") =>
        $$"""{ "services": [ { "id": "s", "name": "S"{{service}}, "endpoints": [ { "id": "web", "url": "http://127.0.0.1/"{{endpoint}} } ] } ] }""";

    public static TheoryData<string, string> Invalid => new()
    {
        { Catalog(""", "headers": { "X-A": "a\r\nX-Injected: yes" }"""), "services[0].endpoints[0].headers.X-A: must not contain line breaks" },
        { Catalog(""", "headers": { "X-A": "a\nb" }"""), "services[0].endpoints[0].headers.X-A: must not contain line breaks" },
        { Catalog(""", "headers": { "X-A": "a\u0000b" }"""), "services[0].endpoints[0].headers.X-A: must be printable ASCII (found U+0000)" },
        { Catalog(""", "headers": { "X-A": "café" }"""), "services[0].endpoints[0].headers.X-A: must be printable ASCII" },
        { Catalog(""", "headers": { "X A": "b" }"""), "services[0].endpoints[0].headers.X A: not a valid header name" },
        { Catalog(""", "headers": { "X-A:\r\nX-B": "b" }"""), "services[0].endpoints[0].headers.X-A:\\u000d\\u000aX-B: not a valid header name" },
        { Catalog(""", "headers": { "Content-Length": "0" }"""), "services[0].endpoints[0].headers.Content-Length: 'Content-Length' is managed by the HTTP client" },
        { Catalog(""", "headers": { "X-A": "1", "x-a": "2" }"""), "services[0].endpoints[0].headers.x-a: duplicate name" },
        { Catalog(""", "headers": { "X-A": "1", "X-A": "2" }"""), "services[0].endpoints[0].headers.X-A: duplicate property" },
        { Catalog(""", "url": "http://127.0.0.2/" """), "services[0].endpoints[0].url: duplicate property" },
        { Catalog(service: """, "name": "Shadow" """), "services[0].name: duplicate property" },
        { """{ "services": [], "services": [ { "id": "s", "name": "S", "endpoints": [ { "id": "web", "url": "http://x/" } ] } ] }""", "services: duplicate property" },
        { Catalog(service: """, "category": "0123456789012345678901234567890123456789x" """), "services[0].category: must be at most 40 characters (got 41)" },
        { Catalog(""", "body": "ok" """, service: $$""", "name2": 1"""), "services[0].name2: unknown property" },
        { Catalog(""", "host": "{{new string('h', 254)}}" """.Replace("{{new string('h', 254)}}", new string('h', 254), StringComparison.Ordinal)),
            "services[0].endpoints[0].host: must be at most 253 characters (got 254)" },
        { Catalog(""", "conditions": ["[BODY].a == {{x}}"] """.Replace("{{x}}", new string('x', 1000), StringComparison.Ordinal)),
            "services[0].endpoints[0].conditions[0]: conditions are at most 1000 characters" },
        { Catalog(""", "conditions": ["[STATUS] == 200\u0007"] """), "services[0].endpoints[0].conditions[0]: contains the control character U+0007" },
        { Catalog(""", "headers": { "X-A": "{{v}}" }""".Replace("{{v}}", new string('v', 8193), StringComparison.Ordinal)),
            "services[0].endpoints[0].headers.X-A: header values are at most 8192 characters (got 8193)" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Load_InvalidValue_ErrorAtItsPath(string json, string expectedPrefix)
    {
        var result = CatalogLoader.Load(json);

        Assert.Null(result.Catalog);
        Assert.Contains(result.Errors, e => e.StartsWith(expectedPrefix, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("name", "Lab\\u0001", "services[0].name: contains the control character U+0001")]
    [InlineData("name", "Lab\\ud800", "services[0].name: contains an unpaired surrogate escape")]
    [InlineData("name", "Lab\\u001b[31mred", "services[0].name: contains the control character U+001B")]
    [InlineData("name", "", "services[0].name: must not be empty")]
    public void Load_BadServiceName_ErrorAtItsPath(string property, string value, string expected)
    {
        var json = $$"""{ "services": [ { "id": "s", "{{property}}": "{{value}}", "endpoints": [ { "id": "web", "url": "http://127.0.0.1/" } ] } ] }""";

        var result = CatalogLoader.Load(json);

        Assert.Null(result.Catalog);
        Assert.Contains(result.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("name", 100, 50_000_000)]
    [InlineData("url", 2048, 3000)]
    [InlineData("id", 40, 41)]
    public void Load_OversizedValue_ShortErrorAtItsPath(string property, int limit, int length)
    {
        var value = property == "url" ? "http://127.0.0.1/" + new string('a', length - 17) : new string('a', length);
        var service = property == "name" ? $"\"name\": \"{value}\"" : "\"name\": \"S\"";
        var id = property == "id" ? value : "s";
        var url = property == "url" ? value : "http://127.0.0.1/";
        var json = $$"""{ "services": [ { "id": "{{id}}", {{service}}, "endpoints": [ { "id": "web", "url": "{{url}}" } ] } ] }""";
        var clock = Stopwatch.StartNew();

        var result = CatalogLoader.Load(json);

        Assert.Null(result.Catalog);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith(property == "url" ? "services[0].endpoints[0].url: " : $"services[0].{property}: ", error);
        Assert.True(error.Contains($"at most {limit} characters", StringComparison.Ordinal) || error.Contains("1-40 characters", StringComparison.Ordinal), error);
        // The error quotes at most a few dozen characters of the value, never the value.
        Assert.True(error.Length < 200, $"error is {error.Length} characters long");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Reload_HeaderWithCrLf_RejectedWhileRunning_NoInjectedHeaderReachesTheTarget()
    {
        await using var target = await LoopbackReceiver.StartAsync();
        var url = new Uri(target.Url, "/echo");
        string CatalogWith(string header) => $$"""
            { "services": [ { "id": "inject", "name": "Inject", "endpoints": [
                { "id": "web", "url": "{{url}}", "headers": { "X-Probe": "{{header}}" } } ] } ] }
            """;
        await using var app = new MonitorAppFactory(CatalogWith("plain"));
        await app.NextCycleAsync();

        await File.WriteAllTextAsync(app.CatalogPath, CatalogWith("evil\\r\\nX-Injected: yes"));
        await app.NextCycleAsync();
        await app.NextCycleAsync();

        Assert.Equal(3, target.Requests.Count);
        Assert.All(target.Requests, r => Assert.Null(r.Header("X-Injected")));
        Assert.All(target.Requests, r => Assert.Equal("plain", r.Header("X-Probe")));
    }
}
