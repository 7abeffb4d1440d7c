using System.Text.Json;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Web;

/// <summary>The error answers, 304 and headers a generated client needs, on every operation of the public document.</summary>
public class OpenApiAnswersTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task OpenApi_EveryOperation_DocumentsItsProblemAnswersWithTheProblemSchema()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "openapi-answers"));
        var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/openapi.json")).RootElement;

        var problem = document.GetProperty("components").GetProperty("schemas").GetProperty("Problem").GetProperty("properties");
        foreach (var extension in new[] { "title", "status", "detail", "parameter", "field", "header", "retryAfterSeconds" })
        {
            Assert.True(problem.TryGetProperty(extension, out _), extension);
        }
        var missing = new List<string>();
        foreach (var (path, method, op) in Operations(document))
        {
            var responses = op.GetProperty("responses");
            var expected = new List<string> { "405", "500" };
            if (path.Contains('{', StringComparison.Ordinal))
            {
                expected.Add("404");
            }
            if (path != "/api/health")
            {
                expected.Add("429");
            }
            if (path.StartsWith("/api/push/", StringComparison.Ordinal))
            {
                expected.AddRange(["400", "413"]);
            }
            if (op.TryGetProperty("parameters", out var parameters) && parameters.EnumerateArray().Any(p => p.GetProperty("in").GetString() == "query"))
            {
                expected.Add("400");
            }
            missing.AddRange(expected.Where(s => !responses.TryGetProperty(s, out _)).Select(s => $"{method} {path} {s}"));
            foreach (var error in responses.EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                var media = error.Value.GetProperty("content").GetProperty("application/problem+json");
                Assert.Equal("#/components/schemas/Problem", media.GetProperty("schema").GetProperty("$ref").GetString());
                Assert.Equal(int.Parse(error.Name, System.Globalization.CultureInfo.InvariantCulture), media.GetProperty("example").GetProperty("status").GetInt32());
                if (error.Name is "429" or "503")
                {
                    Assert.True(error.Value.GetProperty("headers").TryGetProperty("Retry-After", out _), $"{method} {path} {error.Name}");
                }
            }
        }
        Assert.Empty(missing);
        var post = document.GetProperty("paths").GetProperty("/api/services/{service}/reports").GetProperty("post").GetProperty("responses");
        Assert.All(new[] { "400", "403", "404", "413", "415", "429", "503" }, s => Assert.True(post.TryGetProperty(s, out _), s));
    }

    [Fact]
    public async Task OpenApi_CachedReads_Document304AndTheirHeaders_UncachedDoNot()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "openapi-304"));
        var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/openapi.json")).RootElement;

        foreach (var (path, method, op) in Operations(document))
        {
            var responses = op.GetProperty("responses");
            // Public reads answer 304 unless their route opts out (liveness, heartbeats, pages carrying a one-time token).
            var cached = method == "get" && ServerlessMonitor.Web.RouteTable.All.Single(r => r.Method == "GET" && r.Pattern == path).Cacheable;
            Assert.Equal(cached, responses.TryGetProperty("304", out var notModified));
            if (cached)
            {
                Assert.True(notModified.GetProperty("headers").TryGetProperty("ETag", out _), path);
                var headers = responses.GetProperty("200").GetProperty("headers");
                Assert.True(headers.TryGetProperty("ETag", out _), path);
                Assert.True(headers.TryGetProperty("Cache-Control", out _), path);
            }
        }
    }

    [Fact]
    public async Task OpenApi_ProblemAnswersTheApiGives_AreDocumentedForTheirOperation()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "openapi-live"));
        using var client = app.CreateClient();
        var document = JsonDocument.Parse(await client.GetStringAsync("/api/openapi.json")).RootElement;

        // Each request's real answer (status and media type) must be one its operation documents.
        var requests = new (string Method, string Path, string Url, HttpContent? Body)[]
        {
            ("get", "/api/status/{service}", "/api/status/no-such-service", null),
            ("get", "/api/services/{service}/incidents", "/api/services/no-such-service/incidents", null),
            ("get", "/api/services/{service}/checks", "/api/services/no-such-service/checks", null),
            ("get", "/api/compare", "/api/compare?days=0", null),
            ("get", "/api/badges/{service}/{kind}.svg", "/api/badges/no-such-service/status.svg", null),
            ("get", "/api/push/{token}", "/api/push/no-such-token", null),
            ("post", "/api/services/{service}/reports", "/api/services/no-such-service/reports", null),
        };
        foreach (var (method, path, url, body) in requests)
        {
            using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url) { Content = body });
            var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var documented = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");
            Assert.True(documented.TryGetProperty(status, out var answer), $"{method} {url} answered {status}, not documented");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(answer.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {path} {status}");
        }
    }

    [Theory]
    [InlineData("/api/push/{token}", "get", "200")]
    [InlineData("/api/services/{service}/reports", "post", "202")]
    public async Task OpenApi_MainAnswerExample_HasExactlyTheSchemasProperties(string path, string method, string status)
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "openapi-examples"));
        var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/openapi.json")).RootElement;

        var media = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status)
            .GetProperty("content").GetProperty("application/json");
        var reference = media.GetProperty("schema").GetProperty("$ref").GetString()!;
        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.Split('/')[^1]);
        var properties = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToList();

        Assert.Equal(properties, media.GetProperty("example").EnumerateObject().Select(p => p.Name).Order().ToList());
    }

    internal static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (p.Name, o.Name, o.Value)));
}
