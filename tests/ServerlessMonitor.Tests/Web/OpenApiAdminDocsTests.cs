using System.Net;
using System.Text.Json;
using ServerlessMonitor.Api;
using ServerlessMonitor.Tests.Admin;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Tests.Web;

/// <summary>The admin routes have their own document, behind the admin key, with the key's security scheme.</summary>
public class OpenApiAdminDocsTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task AdminOpenApi_WithoutOrWithAWrongKey_Unauthorized()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "openapi-admin-401"), AdminHarness.WithKey());

        using var none = await app.AdminClient(key: null).GetAsync("/api/admin/openapi.json");
        using var wrong = await app.AdminClient(key: "not-the-admin-key-at-all").GetAsync("/api/admin/openapi.json");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.DoesNotContain("/api/admin/maintenance", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminOpenApi_WithTheKey_DocumentsExactlyTheAdminRoutesAndTheKeyScheme()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "openapi-admin"), AdminHarness.WithKey());

        using var response = await app.AdminClient().GetAsync("/api/admin/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        var expected = RouteTable.All.Where(r => r.Access == RouteAccess.Admin && r.Pattern != "/api/admin/openapi.json")
            .Select(r => (r.Pattern, r.Method.ToLowerInvariant())).Order().ToList();
        var documented = OpenApiAnswersTests.Operations(document).Select(o => (o.Path, o.Method)).Order().ToList();
        Assert.Equal(expected, documented);

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("AdminKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Admin-Key", scheme.GetProperty("name").GetString());
        Assert.True(document.GetProperty("security")[0].TryGetProperty("AdminKey", out _));
        foreach (var (path, method, op) in OpenApiAnswersTests.Operations(document))
        {
            var responses = op.GetProperty("responses");
            Assert.All(new[] { "401", "403", "405", "429" }, s => Assert.True(responses.TryGetProperty(s, out _), $"{method} {path} {s}"));
            Assert.True(responses.GetProperty("429").GetProperty("headers").TryGetProperty("Retry-After", out _), path);
            Assert.False(responses.TryGetProperty("304", out _), path);
        }
        Assert.True(document.GetProperty("paths").GetProperty("/api/admin/maintenance/{id}").GetProperty("delete").GetProperty("responses").TryGetProperty("404", out _));
        Assert.True(document.GetProperty("paths").GetProperty("/api/admin/maintenance").GetProperty("post").GetProperty("responses").TryGetProperty("400", out _));
    }

    [Fact]
    public async Task PublicOpenApi_HasNoAdminRouteAndNoSecurityScheme()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "openapi-public-no-admin"), AdminHarness.WithKey());

        var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/openapi.json")).RootElement;

        Assert.DoesNotContain(OpenApiAnswersTests.Operations(document), o => o.Path.StartsWith("/api/admin", StringComparison.Ordinal));
        Assert.False(document.TryGetProperty("security", out _));
    }
}
