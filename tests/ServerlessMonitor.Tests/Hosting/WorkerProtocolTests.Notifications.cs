using System.Text.Json;
using ServerlessMonitor.Notifications;
using ServerlessMonitor.Tests.Hosting.Worker;
using ServerlessMonitor.Tests.Hosting.Worker.Rpc;
using ServerlessMonitor.Tests.Notifications;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Hosting;

/// <summary>
/// Channels in the Functions app under the worker protocol: a refusing provider still gets each message once, through the
/// AlertsTimer's retries; a dependency's dependants send nothing of their own. The worker runs on the real clock, so the
/// provider's refusals are counted (429, then 500s) rather than timed, and the backoff is set to a second.
/// </summary>
public sealed partial class WorkerProtocolTests
{
    private const int Refusals = 4;

    [Fact]
    public async Task Invoke_ProviderAnswers429Then500_AlertsTimerRetriesAndEachMessageArrivesOnce()
    {
        const string service = "lab-worker-retry";
        using var dir = new TempDirectory();
        await using var slack = await ChannelRig.FakeAsync(ChannelKind.Slack);
        var refused = 0;
        slack.Fault = _ => Interlocked.Increment(ref refused) switch
        {
            1 => new FakeAnswer(429, """{"message":"slow down"}""", RetryAfter: "1"),
            <= Refusals => new FakeAnswer(500, "internal error"),
            _ => null,
        };
        var settings = ChannelSettings(dir, service, [(service, ["web", "api"], null)], slack);
        // Probed every 5 s (the catalog's least), so the recovery is observed without waiting a minute.
        settings["Monitor__Catalog"] = dir.Write("monitors.json", NotificationLab.Catalog(lab.Lab, [(service, ["web", "api"], null)])
            .Replace("\"interval\": \"00:01:00\"", "\"interval\": \"00:00:05\"", StringComparison.Ordinal));
        SetAll(service, ["web", "api"], 500);
        await using var host = await TestFunctionsHost.StartAsync(app.PublishDir, settings);
        var (_, functions) = await HandshakeAsync(host);

        await InvokeAsync(host, functions["ProbeTimer"]);
        await RetryUntilAsync(host, functions["AlertsTimer"], () => slack.Accepted.Count >= 1);
        SetAll(service, ["web", "api"], 200);
        refused = 0;
        var requests = slack.Requests;
        await RetryUntilAsync(host, functions["ProbeTimer"], () => slack.Requests > requests);
        await RetryUntilAsync(host, functions["AlertsTimer"], () => slack.Accepted.Count >= 2);
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.1));
            await InvokeAsync(host, functions["AlertsTimer"]);
        }

        // Each message: one 429, three 500s, one acceptance, and not a request more.
        Assert.Empty(slack.Rejected);
        Assert.Equal(2 * (Refusals + 1), slack.Requests);
        var texts = slack.Accepted.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("text").GetString()).ToList();
        Assert.Equal(2, texts.Count);
        Assert.StartsWith($"Lab {service} is down", texts[0], StringComparison.Ordinal);
        Assert.StartsWith($"Lab {service} is back", texts[1], StringComparison.Ordinal);
        Assert.True(!host.Output.Contains("sLaCkSeCrEt", StringComparison.Ordinal), host.Output);
    }

    [Fact]
    public async Task Invoke_DependencyAndDependantDown_OnlyTheDependencysMessageListingTheDependant()
    {
        const string db = "lab-worker-db", shop = "lab-worker-shop";
        using var dir = new TempDirectory();
        await using var slack = await ChannelRig.FakeAsync(ChannelKind.Slack);
        var settings = ChannelSettings(dir, db, [(db, ["db"], null), (shop, ["web", "api"], db)], slack);
        SetAll(db, ["db"], 500);
        SetAll(shop, ["web", "api"], 500);
        await using var host = await TestFunctionsHost.StartAsync(app.PublishDir, settings);
        var (_, functions) = await HandshakeAsync(host);

        await InvokeAsync(host, functions["ProbeTimer"]);
        await InvokeAsync(host, functions["AlertsTimer"]);

        Assert.Empty(slack.Rejected);
        var text = JsonDocument.Parse(Assert.Single(slack.Accepted).Body).RootElement.GetProperty("text").GetString();
        Assert.StartsWith($"Lab {db} is down", text, StringComparison.Ordinal);
        Assert.Contains($"also affected: {shop}", text, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> ChannelSettings(TempDirectory dir, string service,
        IEnumerable<(string Service, string[] Endpoints, string? DependsOn)> catalog, ProviderFake slack)
    {
        var settings = Settings(dir, service);
        settings["Monitor__Catalog"] = dir.Write("monitors.json", NotificationLab.Catalog(lab.Lab, catalog));
        settings["Monitor__ConfirmationDelay"] = "00:00:00";
        settings["Alerts__BackoffBase"] = "00:00:01";
        settings["Alerts__BackoffMax"] = "00:00:01";
        foreach (var (k, v) in ChannelRig.Settings(ChannelKind.Slack, slack.Url, "ops"))
        {
            settings[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        }
        return settings;
    }

    private void SetAll(string service, string[] endpoints, int status)
    {
        foreach (var e in endpoints)
        {
            lab.Lab.Switches.Set($"{service}-{e}", status);
        }
    }

    private static async Task InvokeAsync(TestFunctionsHost host, RpcFunctionMetadata function)
    {
        var answer = (await host.RequestAsync(new StreamingMessage { InvocationRequest = Invocations.Timer(function) })).InvocationResponse;
        AssertSuccess(answer.Result, function.Name, host);
    }

    /// <summary>A timer once a second (the backoff, the Retry-After, the probe interval) until <paramref name="done"/>; a minute at most.</summary>
    private static async Task RetryUntilAsync(TestFunctionsHost host, RpcFunctionMetadata timer, Func<bool> done)
    {
        for (var i = 0; i < 60 && !done(); i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.1));
            await InvokeAsync(host, timer);
        }
        Assert.True(done(), host.Output);
    }
}
