extern alias functions;
using System.Text.Json;
using functions::ServerlessMonitor.Functions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Api;
using ServerlessMonitor.Tests.Hosting;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Tests.Web;

/// <summary>
/// One route table, two hosts, one document: the standalone host routes exactly the table, and the OpenAPI
/// document both hosts serve lists exactly its public routes (functions.metadata is checked against the
/// table in FunctionsMetadataTests).
/// </summary>
public sealed class RouteTableTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private static readonly IReadOnlyList<(string Path, string Method)> Table =
        RouteTable.All.Select(r => (r.Pattern, r.Method.ToLowerInvariant())).Order().ToList();

    private static readonly IReadOnlyList<(string Path, string Method)> Documented =
        RouteTable.All.Where(r => r.InDocument)
            .Select(r => (r.Pattern, r.Method.ToLowerInvariant())).Order().ToList();

    [Fact]
    public async Task Standalone_RoutesExactlyTheTable()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "routes-standalone"));
        _ = app.CreateClient();

        var routed = app.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => ("/" + e.RoutePattern.RawText!.TrimStart('/'), m.ToLowerInvariant())))
            .Distinct().Order().ToList();

        Assert.Equal(Table, routed);
    }

    [Fact]
    public async Task OpenApi_BothHosts_DocumentExactlyThePublicRoutes()
    {
        var catalog = LabCatalog.Switches(fixture.Lab, "routes-doc");
        await using var standalone = new MonitorAppFactory(catalog);
        await using var functions = await FunctionsWiring.StartAsync(catalog);

        var fromStandalone = Operations(await standalone.CreateClient().GetStringAsync("/api/openapi.json"));
        var fromFunctions = await functions.HttpAsync(r => functions.Function<PublicFunctions>().GetOpenApi(r), "GET", "/api/openapi.json");

        Assert.Equal(Documented, fromStandalone);
        Assert.Equal(200, fromFunctions.Status);
        Assert.Equal(Documented, Operations(fromFunctions.Body));
    }

    private static List<(string Path, string Method)> Operations(string document) =>
        JsonDocument.Parse(document).RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (p.Name, o.Name))).Order().ToList();
}
