extern alias functions;
using System.Net;
using System.Text.Json;
using functions::ServerlessMonitor.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Web;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Hosting;

/// <summary>
/// The Functions app's classes called directly on the app's own wiring: each answers what the same route
/// of the standalone host answers (both run the route table's endpoints).
/// </summary>
public sealed class FunctionClassesTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task ProbeTimer_ThenGetServiceStatus_AnswersLikeTheStandaloneRoute()
    {
        const string name = "fn-status";
        var catalog = LabCatalog.Switches(fixture.Lab, name);
        await using var functions = await FunctionsWiring.StartAsync(catalog);
        await using var standalone = new MonitorAppFactory(catalog);

        await functions.Function<TimerFunctions>().ProbeTimer(new TimerInfo(), CancellationToken.None);
        await standalone.FireProbeTimerAsync();
        var fromFunction = await functions.HttpAsync(r => functions.Function<PublicFunctions>().GetServiceStatus(r, name), "GET", $"/api/status/{name}");
        using var fromStandalone = await standalone.CreateClient().GetAsync($"/api/status/{name}");

        Assert.Equal((int)fromStandalone.StatusCode, fromFunction.Status);
        Assert.Equal(fromStandalone.Content.Headers.ContentType?.ToString(), fromFunction.ContentType);
        Assert.Equal(fromStandalone.Headers.CacheControl?.ToString(), fromFunction.Headers.CacheControl.ToString());
        var function = JsonDocument.Parse(fromFunction.Body).RootElement;
        var expected = JsonDocument.Parse(await fromStandalone.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("up", function.GetProperty("status").GetString());
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name), function.EnumerateObject().Select(p => p.Name));
        Assert.Equal(expected.GetProperty("endpoints")[0].GetProperty("status").GetString(),
            function.GetProperty("endpoints")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task GetServiceStatus_UnknownService_ProblemDetails404()
    {
        await using var functions = await FunctionsWiring.StartAsync(LabCatalog.Switches(fixture.Lab, "fn-404"));

        var answer = await functions.HttpAsync(r => functions.Function<PublicFunctions>().GetServiceStatus(r, "nope"), "GET", "/api/status/nope");

        Assert.Equal(404, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Contains("nope", answer.Body);
    }

    [Fact]
    public async Task GetStatusAndBadge_RouteValuesBoundAndIfNoneMatchAnswered304()
    {
        await using var functions = await FunctionsWiring.StartAsync(LabCatalog.Switches(fixture.Lab, "fn-etag"));
        // Served from one snapshot: before the first one, a request runs its handler alone, and the snapshot built
        // meanwhile in the background names the same content with its own version ETag.
        await functions.Services.GetRequiredService<ReadSnapshots>().PublishAsync(CancellationToken.None);
        var status = functions.Function<PublicFunctions>();

        var first = await functions.HttpAsync(status.GetStatus, "GET", "/api/status");
        var etag = first.Headers.ETag.ToString();
        var badge = await functions.HttpAsync(r => status.GetBadge(r, "fn-etag", "status"), "GET", "/api/badges/fn-etag/status.svg");
        var cached = await functions.HttpAsync(status.GetStatus, "GET", "/api/status", r => r.Headers.IfNoneMatch = etag);

        Assert.Equal(200, first.Status);
        Assert.NotEmpty(etag);
        Assert.Equal(200, badge.Status);
        Assert.Equal("image/svg+xml", badge.ContentType?.Split(';')[0]);
        Assert.Equal(304, cached.Status);
        Assert.Empty(cached.Body);
    }

    [Fact]
    public async Task AdminListMaintenance_NoAdminKey_TrustsTheHostsFunctionKeyCheck()
    {
        await using var functions = await FunctionsWiring.StartAsync(LabCatalog.Switches(fixture.Lab, "fn-admin"));

        var answer = await functions.HttpAsync(functions.Function<AdminFunctions>().AdminListMaintenance, "GET", "/api/admin/maintenance");

        Assert.Equal((int)HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task AdminListMaintenance_AdminKeyConfigured_RequiredOnTopOfTheFunctionKey()
    {
        await using var functions = await FunctionsWiring.StartAsync(LabCatalog.Switches(fixture.Lab, "fn-admin-key"),
            new Dictionary<string, string?> { ["Admin:Key"] = "0123456789abcdef-admin" });
        var admin = functions.Function<AdminFunctions>();

        var without = await functions.HttpAsync(admin.AdminListMaintenance, "GET", "/api/admin/maintenance");
        var with = await functions.HttpAsync(admin.AdminListMaintenance, "GET", "/api/admin/maintenance",
            r => r.Headers["X-Admin-Key"] = "0123456789abcdef-admin");

        Assert.Equal(401, without.Status);
        Assert.Equal(200, with.Status);
    }
}
