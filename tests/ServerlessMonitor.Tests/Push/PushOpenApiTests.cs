using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Push;

public class PushOpenApiTests
{
    [Fact]
    public async Task OpenApi_PushRoutes_DocumentedWithGetAndPostAdminRouteNot()
    {
        await using var app = new MonitorAppFactory(PushEndToEndTests.Catalog("push-doc"));

        var paths = (await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/openapi.json")).GetProperty("paths");

        foreach (var path in new[] { "/api/push/{token}", "/api/push/{token}/{signal}" })
        {
            var operations = paths.GetProperty(path);
            Assert.True(operations.TryGetProperty("get", out _), path);
            Assert.True(operations.TryGetProperty("post", out _), path);
            Assert.Equal("Push", operations.GetProperty("get").GetProperty("tags")[0].GetString());
        }
        Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name.StartsWith("/api/admin", StringComparison.Ordinal));
    }
}
