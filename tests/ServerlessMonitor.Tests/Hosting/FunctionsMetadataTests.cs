using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Api;
using ServerlessMonitor.Hosting;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Web;

namespace ServerlessMonitor.Tests.Hosting;

/// <summary>
/// The published Functions app, as the Functions host would index it: every route of the route table is a
/// function with the same name, method, route and auth level, every timer reads its schedule from its
/// setting, and nothing else is exposed.
/// </summary>
[Collection(PublishedFunctionsCollection.Name)]
public sealed class FunctionsMetadataTests(PublishedFunctionsApp app)
{
    [Fact]
    public void Package_HasWhatTheHostNeeds()
    {
        foreach (var file in new[] { "functions.metadata", "worker.config.json", "host.json", "ServerlessMonitor.Functions.dll", "monitors.json" })
        {
            Assert.True(File.Exists(Path.Combine(app.PublishDir, file)), $"{file} is not in the package");
        }
        var worker = app.Read("worker.config.json")["description"]!;
        Assert.Equal("dotnet-isolated", worker["language"]!.GetValue<string>());
        Assert.Equal("ServerlessMonitor.Functions.dll", worker["defaultWorkerPath"]!.GetValue<string>());
        var host = app.Read("host.json");
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.Null(host["customHandler"]);
    }

    [Fact]
    public void Metadata_EveryRouteIsOneHttpFunctionWithItsMethodRouteAndAuthLevel()
    {
        var http = app.Metadata.Where(f => Trigger(f!)["type"]!.GetValue<string>() == "httpTrigger")
            .ToDictionary(f => f!["name"]!.GetValue<string>(), f => Trigger(f!));

        Assert.Equal(RouteTable.All.Select(r => r.Name).Order(), http.Keys.Order());
        foreach (var route in RouteTable.All)
        {
            var trigger = http[route.Name];
            Assert.Equal([route.Method.ToLowerInvariant()], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
            Assert.Equal(FunctionRoute(route), trigger["route"]!.GetValue<string>());
            Assert.Equal(route.Access == RouteAccess.Admin ? "Function" : "Anonymous", trigger["authLevel"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Metadata_TimersReadTheirScheduleSettingAndAreNotHttp()
    {
        using var factory = new MonitorAppFactory("""{ "services": [ { "id": "s", "name": "S", "endpoints": [ { "id": "web", "url": "http://127.0.0.1:9/" } ] } ] }""");
        var timers = factory.Services.GetServices<ITimerFunction>().ToDictionary(t => t.Name);
        var metadata = app.Metadata.Where(f => Trigger(f!)["type"]!.GetValue<string>() == "timerTrigger")
            .ToDictionary(f => f!["name"]!.GetValue<string>(), f => Trigger(f!));

        Assert.Equal(timers.Keys.Order(), metadata.Keys.Order());
        foreach (var (name, timer) in timers)
        {
            Assert.Equal($"%{timer.ScheduleSetting}%", metadata[name]["schedule"]!.GetValue<string>());
        }
        Assert.Equal(RouteTable.All.Count + timers.Count + 2, app.Metadata.Count);
        Assert.DoesNotContain(RouteTable.All, r => timers.ContainsKey(r.Name));
    }

    [Fact]
    public void Metadata_ProbeShardListensOnTheShardQueueAndItsPoisonQueue()
    {
        var queues = app.Metadata.Where(f => Trigger(f!)["type"]!.GetValue<string>() == "queueTrigger")
            .ToDictionary(f => f!["name"]!.GetValue<string>(), f => Trigger(f!)["queueName"]!.GetValue<string>());

        Assert.Equal(new Dictionary<string, string> { ["ProbeShard"] = "probe-shards", ["ProbeShardPoison"] = "probe-shards-poison" }, queues);
        // No Connection named: the trigger uses AzureWebJobsStorage, the account StorageShardQueue sends to.
        Assert.All(app.Metadata.Where(f => Trigger(f!)["type"]!.GetValue<string>() == "queueTrigger"),
            f => Assert.Null(Trigger(f!)["connection"]));
    }

    [Fact]
    public void Metadata_NoTimerRunsOnStartup_AScaleOutInstanceNeverPlansAQueuedCycleAgain()
    {
        using var factory = new MonitorAppFactory("""{ "services": [ { "id": "s", "name": "S", "endpoints": [ { "id": "web", "url": "http://127.0.0.1:9/" } ] } ] }""");
        var timers = factory.Services.GetServices<ITimerFunction>().ToDictionary(t => t.Name);
        var runOnStartup = app.Metadata.Where(f => Trigger(f!)["type"]!.GetValue<string>() == "timerTrigger")
            .ToDictionary(f => f!["name"]!.GetValue<string>(), f => RunsOnStartup(Trigger(f!)));

        // On Azure RunOnStartup fires on every instance the platform adds, while the shards planned a tick ago are still queued.
        Assert.Equal(timers.Keys.Order(), runOnStartup.Keys.Order());
        Assert.DoesNotContain(runOnStartup, t => t.Value);
        // The standalone scheduler (one process) still probes at once when it starts.
        Assert.True(timers["ProbeTimer"].RunsAtStartup);
    }

    /// <summary>The host reads a missing runOnStartup as false; the SDK writes the property only when it is set.</summary>
    internal static bool RunsOnStartup(JsonNode trigger) => trigger["runOnStartup"]?.GetValue<bool>() ?? false;

    /// <summary>
    /// What the Functions app declares for a route: the pattern without its leading slash; the root is an optional
    /// parameter only an empty segment satisfies (PublicFunctions.RootRoute says why not "/").
    /// </summary>
    private static string FunctionRoute(ApiRoute route) => route.Pattern == "/" ? "{_:regex(^$)?}" : route.Pattern.TrimStart('/');

    private static JsonNode Trigger(JsonNode function) =>
        function["bindings"]!.AsArray().Single(b => b!["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal))!;
}
