using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessMonitor.Tests.Hosting.Worker;
using ServerlessMonitor.Tests.Hosting.Worker.Rpc;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.Telemetry;

namespace ServerlessMonitor.Tests.Hosting;

/// <summary>
/// The published Functions app under the worker protocol, with the test playing the Functions host (which
/// cannot run here): started with the host's arguments, it indexes and loads its functions, runs a timer
/// invocation, and answers an HTTP request proxied to it the way the host proxies with ASP.NET Core integration.
/// </summary>
[Collection(PublishedFunctionsCollection.Name)]
public sealed partial class WorkerProtocolTests(PublishedFunctionsApp app, OutageLabFixture lab) : IClassFixture<OutageLabFixture>
{
    [Fact]
    public async Task Handshake_HostArguments_WorkerReportsItsHttpUriAndIndexesAndLoadsEveryFunction()
    {
        using var dir = new TempDirectory();
        await using var host = await TestFunctionsHost.StartAsync(app.PublishDir, Settings(dir, "lab-worker-handshake"));

        var started = await host.WaitForStartStreamAsync();
        var init = await InitializeAsync(host);
        var functions = await IndexAndLoadAsync(host);

        Assert.Equal(host.WorkerId, started.WorkerId);
        Assert.True(Uri.TryCreate(init.Capabilities["HttpUri"], UriKind.Absolute, out var httpUri) && httpUri.Scheme == "http", host.Output);
        var published = app.Metadata.Select(f => f!["name"]!.GetValue<string>()).Order();
        Assert.Equal(published, functions.Keys.Order());
        Assert.All(functions.Values, f => Assert.Equal(("dotnet-isolated", "ServerlessMonitor.Functions.dll"), (f.Language, f.ScriptFile)));
        // With worker indexing the host goes by these bindings, not functions.metadata: they must not run a timer at start-up either.
        var runOnStartup = functions.Values.Where(f => f.RawBindings.Select(b => JsonNode.Parse(b)!)
            .Any(b => b["type"]?.GetValue<string>() == "timerTrigger" && FunctionsMetadataTests.RunsOnStartup(b)));
        Assert.Empty(runOnStartup.Select(f => f.Name));
    }

    [Fact]
    public async Task Invoke_ProbeTimerThenProxiedStatusRequest_ServiceIsUp()
    {
        const string service = "lab-worker-e2e";
        using var dir = new TempDirectory();
        await using var host = await TestFunctionsHost.StartAsync(app.PublishDir, Settings(dir, service));
        var (httpUri, functions) = await HandshakeAsync(host);

        var probe = (await host.RequestAsync(new StreamingMessage { InvocationRequest = Invocations.Timer(functions["ProbeTimer"]) })).InvocationResponse;
        AssertSuccess(probe.Result, "ProbeTimer", host);
        var (mediaType, body) = await GetAsync(host, httpUri, functions["GetServiceStatus"], $"/api/status/{service}", ("service", service));

        Assert.Equal("application/json", mediaType);
        var status = JsonDocument.Parse(body).RootElement;
        Assert.Equal(service, status.GetProperty("id").GetString());
        Assert.Equal("up", status.GetProperty("endpoints")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Invoke_ProbeTimerWithOtlpEndpoint_ExportsTheCycleMetricsAndTrace()
    {
        const string prefix = "otlp-fn";
        await using var otlp = await OtlpReceiver.StartAsync();
        using var dir = new TempDirectory();
        var settings = Settings(dir, prefix);
        settings["Monitor__Catalog"] = dir.Write("monitors.json", TelemetryLab.Catalog(lab.Lab, prefix));
        settings["Monitor__Region"] = "fn-region";
        settings["Monitor__ConfirmationDelay"] = "00:00:00";
        // An alert sink, for the outbox metrics of the AlertsTimer run below.
        settings["Alerts__Webhooks__0__Url"] = lab.Lab.Http("/echo").ToString();
        foreach (var (k, v) in otlp.Settings())
        {
            settings[k] = v;
        }
        await using var host = await TestFunctionsHost.StartAsync(app.PublishDir, settings);
        var (_, functions) = await HandshakeAsync(host);

        var probe = (await host.RequestAsync(new StreamingMessage { InvocationRequest = Invocations.Timer(functions["ProbeTimer"]) })).InvocationResponse;
        AssertSuccess(probe.Result, "ProbeTimer", host);
        var alerts = (await host.RequestAsync(new StreamingMessage { InvocationRequest = Invocations.Timer(functions["AlertsTimer"]) })).InvocationResponse;
        AssertSuccess(alerts.Result, "AlertsTimer", host);

        await otlp.WaitForAsync(r => TelemetryExpectations.HasProbeMetrics(r, prefix) && r.Spans.Any(s => s.Name == "probe cycle")
            && TelemetryExpectations.HasPipelineMetrics(r, reports: false),
            "the worker's cycle, snapshot, self-check and outbox metrics and trace", TimeSpan.FromSeconds(90), () => host.Output);
        TelemetryExpectations.AssertProbeMetrics(otlp, prefix, region: "fn-region");
        TelemetryExpectations.AssertPipelineMetrics(otlp, prefix, region: "fn-region", reports: false);
        Assert.Contains(otlp.MetricResources.SelectMany(r => r.Attributes.ToDictionary()), a => a.Key == "serverlessmonitor.host" && a.Value == "functions");
        TelemetryExpectations.AssertNothingLeaks(otlp, TelemetryLab.UrlToken);
        // Telemetry:ProbeSpans is off: the probes' requests are in the metrics, not one span each under the cycle.
        var cycle = otlp.Spans.First(s => s.Name == "probe cycle");
        // (The lab's probes are GETs; the Down alert's webhook POST, sent by the cycle's notify step, may be a child.)
        Assert.DoesNotContain(otlp.Spans, s => s.ParentSpanId == cycle.SpanId && s.Kind == 3 /* client */ && s.Name == "GET");
    }

    [Fact]
    public async Task Invoke_ProbeTimerWithTwoEndpointsDown_ChannelGetsOneServiceMessage()
    {
        const string service = "lab-worker-notify";
        using var dir = new TempDirectory();
        await using var slack = await Notifications.ChannelRig.FakeAsync(ServerlessMonitor.Notifications.ChannelKind.Slack);
        var settings = Settings(dir, service);
        settings["Monitor__Catalog"] = dir.Write("monitors.json", Notifications.NotificationLab.Catalog(lab.Lab, [(service, ["web", "api"], null)]));
        settings["Monitor__ConfirmationDelay"] = "00:00:00";
        foreach (var (k, v) in Notifications.ChannelRig.Settings(ServerlessMonitor.Notifications.ChannelKind.Slack, slack.Url, "ops"))
        {
            settings[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        }
        lab.Lab.Switches.Set($"{service}-web", 500);
        lab.Lab.Switches.Set($"{service}-api", 500);
        await using var host = await TestFunctionsHost.StartAsync(app.PublishDir, settings);
        var (_, functions) = await HandshakeAsync(host);

        var probe = (await host.RequestAsync(new StreamingMessage { InvocationRequest = Invocations.Timer(functions["ProbeTimer"]) })).InvocationResponse;

        AssertSuccess(probe.Result, "ProbeTimer", host);
        Assert.Empty(slack.Rejected);
        var text = JsonDocument.Parse(Assert.Single(slack.Accepted).Body).RootElement.GetProperty("text").GetString();
        Assert.Contains("api, web failing since", text);
        Assert.True(!host.Output.Contains("sLaCkSeCrEt", StringComparison.Ordinal), host.Output);
    }

    [Fact]
    public async Task Proxy_SiteRoot_ServesTheStatusPage()
    {
        using var dir = new TempDirectory();
        await using var host = await TestFunctionsHost.StartAsync(app.PublishDir, Settings(dir, "lab-worker-root"));
        var (httpUri, functions) = await HandshakeAsync(host);

        var (mediaType, body) = await GetAsync(host, httpUri, functions["StatusPage"], "/");

        Assert.Equal("text/html", mediaType);
        Assert.Contains("Lab lab-worker-root", body);
    }

    [Fact]
    public async Task Start_InvalidSetting_HostReportsTheWorkersExitWithItsOutput()
    {
        using var dir = new TempDirectory();
        var settings = Settings(dir, "lab-worker-invalid");
        settings["Monitor__ProbeSchedule"] = "every minute";
        await using var host = await TestFunctionsHost.StartAsync(app.PublishDir, settings);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(host.WaitForStartStreamAsync);

        Assert.Contains("The worker exited", failure.Message);
        Assert.Contains("Monitor:ProbeSchedule", failure.Message);
    }

    /// <summary>Where a client would address the host (Core Tools' default port); the host proxies to the worker's own address.</summary>
    private static readonly Uri HostAddress = new("http://localhost:7071/");

    /// <summary>What a host does before its first invocation: init, index, load; returns where the worker takes HTTP.</summary>
    private async Task<(Uri HttpUri, Dictionary<string, RpcFunctionMetadata> Functions)> HandshakeAsync(TestFunctionsHost host)
    {
        await host.WaitForStartStreamAsync();
        var httpUri = new Uri((await InitializeAsync(host)).Capabilities["HttpUri"]);
        return (httpUri, await IndexAndLoadAsync(host));
    }

    /// <summary>A GET the host matched to <paramref name="function"/>, proxied; both the HTTP answer and the invocation must succeed.</summary>
    private static async Task<(string? MediaType, string Body)> GetAsync(
        TestFunctionsHost host, Uri httpUri, RpcFunctionMetadata function, string pathAndQuery, params (string Name, string Value)[] routeValues)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(HostAddress, pathAndQuery));
        var invocation = Invocations.Http(function, request, routeValues.ToDictionary(v => v.Name, v => v.Value));
        var (http, answer) = await host.ProxyAsync(httpUri, request, invocation);
        using var response = http;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{function.Name}: {(int)response.StatusCode} {body}\n{host.Output}");
        AssertSuccess(answer.Result, function.Name, host);
        return (response.Content.Headers.ContentType?.MediaType, body);
    }

    /// <summary>The init request of a real host, down to what the dotnet worker reads: its directories.</summary>
    private async Task<WorkerInitResponse> InitializeAsync(TestFunctionsHost host)
    {
        var init = new WorkerInitRequest { HostVersion = "4.0.0-test", WorkerDirectory = app.PublishDir, FunctionAppDirectory = app.PublishDir };
        var response = (await host.RequestAsync(new StreamingMessage { WorkerInitRequest = init })).WorkerInitResponse;
        AssertSuccess(response.Result, "WorkerInit", host);
        return response;
    }

    /// <summary>Worker indexing: the host asks for the metadata, then loads every function it was given.</summary>
    private async Task<Dictionary<string, RpcFunctionMetadata>> IndexAndLoadAsync(TestFunctionsHost host)
    {
        var request = new FunctionsMetadataRequest { FunctionAppDirectory = app.PublishDir };
        var metadata = (await host.RequestAsync(new StreamingMessage { FunctionsMetadataRequest = request })).FunctionMetadataResponse;
        AssertSuccess(metadata.Result, "FunctionsMetadata", host);
        Assert.False(metadata.UseDefaultMetadataIndexing, host.Output);
        foreach (var function in metadata.FunctionMetadataResults)
        {
            var load = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function };
            var loaded = (await host.RequestAsync(new StreamingMessage { FunctionLoadRequest = load })).FunctionLoadResponse;
            AssertSuccess(loaded.Result, $"FunctionLoad {function.Name}", host);
        }
        return metadata.FunctionMetadataResults.ToDictionary(f => f.Name);
    }

    private static void AssertSuccess(StatusResult result, string what, TestFunctionsHost host) =>
        Assert.True(result.Status == StatusResult.Types.Status.Success,
            $"{what}: {result.Status} {result.Exception?.Message}\n{result.Exception?.StackTrace}\n{host.Output}");

    /// <summary>The app settings a deployment would have, pointed at the lab and a store of the test's own.</summary>
    private Dictionary<string, string?> Settings(TempDirectory dir, string service) => new()
    {
        ["Monitor__Catalog"] = dir.Write("monitors.json", LabCatalog.Switches(lab.Lab, service)),
        ["Monitor__ProbeSchedule"] = "*/30 * * * * *",
        ["Storage__Mode"] = "Sqlite",
        ["Storage__SqlitePath"] = dir.File("monitor.db"),
    };
}
