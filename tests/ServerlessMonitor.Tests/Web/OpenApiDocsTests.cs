using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Web;

public class OpenApiDocsTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task OpenApi_EveryPublicRoute_DocumentedWithItsMethodsAndASummary()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "openapi"));
        using var response = await app.CreateClient().GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        // Every /api/ route the app maps, except admin (not public) and the document itself.
        var mapped = app.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => (Path: "/" + e.RoutePattern.RawText!.TrimStart('/'), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
            .Where(e => e.Path.StartsWith("/api/", StringComparison.Ordinal) && !e.Path.StartsWith("/api/admin", StringComparison.Ordinal)
                && e.Path != "/api/openapi.json")
            .SelectMany(e => e.Methods.Select(m => (e.Path, Method: m.ToLowerInvariant())))
            .ToList();
        var paths = document.GetProperty("paths");
        var documented = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name))).ToList();

        Assert.NotEmpty(mapped);
        Assert.Empty(mapped.Except(documented));
        Assert.Contains(("/api/badges/{service}/{kind}.svg", "get"), documented);
        Assert.Contains(("/api/feed.atom", "get"), documented);
        // Admin is not public; the timer functions (POST /{FunctionName}) are only for the Functions host.
        Assert.DoesNotContain(documented, d => d.Path.StartsWith("/api/admin", StringComparison.Ordinal) || (d.Method == "post" && !d.Path.StartsWith("/api/", StringComparison.Ordinal)));
        var unsummarised = paths.EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => !o.Value.TryGetProperty("summary", out var s) || string.IsNullOrWhiteSpace(s.GetString()))
                .Select(o => $"{o.Name} {p.Name}"));
        Assert.Empty(unsummarised);
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheApiAndItsJsonShapes()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "openapi-shapes"));

        var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/openapi.json")).RootElement;

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        Assert.Equal("ServerlessMonitor API", document.GetProperty("info").GetProperty("title").GetString());
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.TryGetProperty("ServiceStatusDto", out var status));
        Assert.True(status.GetProperty("properties").TryGetProperty("status", out _));
        Assert.True(schemas.TryGetProperty("IncidentListDto", out _));
        var badge = document.GetProperty("paths").GetProperty("/api/badges/{service}/{kind}.svg").GetProperty("get");
        Assert.True(badge.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("image/svg+xml", out _));
    }
}
