using System.Net;
using System.Text.Json;
using ServerlessMonitor.Tests.Hosting;
using ServerlessMonitor.Tests.Hosting.Worker;
using ServerlessMonitor.Tests.Hosting.Worker.Rpc;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Push;

/// <summary>Heartbeats on the published Functions app under the worker protocol (the test plays the host).</summary>
[Collection(PublishedFunctionsCollection.Name)]
public sealed class PushFunctionsTests(PublishedFunctionsApp app)
{
    [Fact]
    public async Task WorkerProtocol_AdminTokenThenKumaBeatThenFail_StatusFollowsAndTokenNotInWorkerOutput()
    {
        const string service = "worker-push";
        using var dir = new TempDirectory();
        await using var host = await TestFunctionsHost.StartAsync(app.PublishDir, new Dictionary<string, string?>
        {
            ["Monitor__Catalog"] = dir.Write("monitors.json", PushEndToEndTests.Catalog(service)),
            ["Monitor__ProbeSchedule"] = "0 0 0 1 1 *",
            ["Storage__Mode"] = "Sqlite",
            ["Storage__SqlitePath"] = dir.File("monitor.db"),
        });
        var (httpUri, functions) = await HandshakeAsync(host);

        var (created, createdBody) = await SendAsync(host, httpUri, functions["AdminRotatePushToken"], HttpMethod.Post,
            $"/api/admin/push/{service}/backup/token", ("service", service), ("endpoint", "backup"));
        var token = JsonDocument.Parse(createdBody).RootElement.GetProperty("token").GetString()!;
        var (beat, _) = await SendAsync(host, httpUri, functions["Push"], HttpMethod.Get, $"/api/push/{token}?status=up&msg=OK&ping=12", ("token", token));
        var (_, up) = await SendAsync(host, httpUri, functions["GetServiceStatus"], HttpMethod.Get, $"/api/status/{service}", ("service", service));
        var (fail, _) = await SendAsync(host, httpUri, functions["PushSignalPost"], HttpMethod.Post, $"/api/push/{token}/fail",
            ("token", token), ("signal", "fail"));
        var (_, down) = await SendAsync(host, httpUri, functions["GetServiceStatus"], HttpMethod.Get, $"/api/status/{service}", ("service", service));

        Assert.Equal(HttpStatusCode.OK, created);
        Assert.Equal(HttpStatusCode.OK, beat);
        Assert.Equal(HttpStatusCode.OK, fail);
        Assert.Equal("up", JsonDocument.Parse(up).RootElement.GetProperty("status").GetString());
        var endpoint = JsonDocument.Parse(down).RootElement.GetProperty("endpoints")[0];
        Assert.Equal(("down", "reported"), (endpoint.GetProperty("status").GetString(), endpoint.GetProperty("errorKind").GetString()));
        Assert.False(host.Output.Contains(token, StringComparison.Ordinal), string.Join("\n", host.Output.Split(Environment.NewLine).Where(l => l.Contains(token, StringComparison.Ordinal))));
    }

    private static readonly Uri HostAddress = new("http://localhost:7071/");

    private async Task<(Uri HttpUri, Dictionary<string, RpcFunctionMetadata> Functions)> HandshakeAsync(TestFunctionsHost host)
    {
        await host.WaitForStartStreamAsync();
        var init = new WorkerInitRequest { HostVersion = "4.0.0-test", WorkerDirectory = app.PublishDir, FunctionAppDirectory = app.PublishDir };
        var initialized = (await host.RequestAsync(new StreamingMessage { WorkerInitRequest = init })).WorkerInitResponse;
        var metadata = (await host.RequestAsync(new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = app.PublishDir } }))
            .FunctionMetadataResponse;
        foreach (var function in metadata.FunctionMetadataResults)
        {
            await host.RequestAsync(new StreamingMessage { FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function } });
        }
        return (new Uri(initialized.Capabilities["HttpUri"]), metadata.FunctionMetadataResults.ToDictionary(f => f.Name));
    }

    /// <summary>A request the host matched to <paramref name="function"/>, proxied; the invocation must succeed.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(TestFunctionsHost host, Uri httpUri, RpcFunctionMetadata function,
        HttpMethod method, string pathAndQuery, params (string Name, string Value)[] routeValues)
    {
        using var request = new HttpRequestMessage(method, new Uri(HostAddress, pathAndQuery));
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("");
        }
        var invocation = Invocations.Http(function, request, routeValues.ToDictionary(v => v.Name, v => v.Value));
        var (http, answer) = await host.ProxyAsync(httpUri, request, invocation);
        using var response = http;
        Assert.True(answer.Result.Status == StatusResult.Types.Status.Success, $"{function.Name}: {answer.Result.Exception?.Message}\n{host.Output}");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
