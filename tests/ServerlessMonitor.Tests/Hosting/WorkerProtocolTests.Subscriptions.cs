using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using ServerlessMonitor.Storage;
using ServerlessMonitor.Storage.Sqlite;
using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Subscriptions.Email;
using ServerlessMonitor.Tests.Hosting.Worker;
using ServerlessMonitor.Tests.Hosting.Worker.Rpc;
using ServerlessMonitor.Tests.Notifications;
using ServerlessMonitor.Tests.Subscriptions;
using ServerlessMonitor.Tests.Subscriptions.Email;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Hosting;

/// <summary>
/// The public subscription routes in the Functions app under the worker protocol: a push subscription and an email
/// double opt-in (form post, the confirmation mail the worker's mailer sends to a real SMTP server, the confirm POST),
/// then both one-click unsubscribes. What the worker stored is read from its SQLite file by the test.
/// </summary>
public sealed partial class WorkerProtocolTests
{
    [Fact]
    public async Task Invoke_SubscribeRoutes_PushAndConfirmedEmailStoredThenUnsubscribedByPost()
    {
        const string service = "lab-worker-subs";
        using var dir = new TempDirectory();
        await using var smtp = SmtpLab.Start(DateTimeOffset.UtcNow);
        await using var push = await LoopbackPushService.StartAsync(TimeProvider.System);
        var settings = Settings(dir, service);
        var keys = VapidKeys.Generate();
        settings["Subscriptions__VapidPublicKey"] = keys.PublicKey;
        settings["Subscriptions__VapidPrivateKey"] = keys.PrivateKey;
        settings["Subscriptions__AllowLoopback"] = "true";
        settings["Subscriptions__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        foreach (var (k, v) in EmailHarness.Settings(smtp))
        {
            settings[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        }
        await using var host = await TestFunctionsHost.StartAsync(app.PublishDir, settings);
        var (httpUri, functions) = await HandshakeAsync(host);

        var (pushed, pushedBody) = await SendAsync(host, httpUri, functions["SubscribePush"], HttpMethod.Post,
            $"/api/services/{service}/subscriptions/push", Json(push.Subscribe("1")), ("service", service));
        var (asked, _) = await SendAsync(host, httpUri, functions["SubscribeEmail"], HttpMethod.Post, EmailSubscribeApi.SubscribePath,
            Json(JsonSerializer.Serialize(new { email = "Reader@Example.com", service })));
        var mail = await smtp.WaitForMailAsync(m => m.To.Mailboxes.Any(b => b.Address == "reader@example.com"));
        var token = QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), EmailHarness.ConfirmLink(mail)).Query)["token"].ToString();
        var (confirmed, _) = await SendAsync(host, httpUri, functions["ConfirmEmail"], HttpMethod.Post, EmailLinks.ConfirmPath,
            new FormUrlEncodedContent([new("token", token)]));
        var stored = await StoredAsync(dir, service);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Accepted, HttpStatusCode.OK), (pushed, asked, confirmed));
        Assert.Equal([SubscriptionKinds.Email, SubscriptionKinds.Push], stored.Select(s => s.Kind).Order());
        var pushId = JsonDocument.Parse(pushedBody).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(pushId, stored.Single(s => s.Kind == SubscriptionKinds.Push).Id);
        Assert.Equal("reader@example.com", stored.Single(s => s.Kind == SubscriptionKinds.Email).Address);

        foreach (var subscription in stored)
        {
            var (gone, _) = await SendAsync(host, httpUri, functions["Unsubscribe"], HttpMethod.Post, UnsubscribeApi.PathFor(subscription.Id),
                new StringContent("List-Unsubscribe=One-Click", Encoding.ASCII, "application/x-www-form-urlencoded"), ("id", subscription.Id));
            Assert.Equal(HttpStatusCode.OK, gone);
        }
        Assert.Empty(await StoredAsync(dir, service));
        Assert.False(host.Output.Contains("reader@example.com", StringComparison.OrdinalIgnoreCase), host.Output);
        Assert.False(host.Output.Contains(keys.PrivateKey, StringComparison.Ordinal));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>The service's subscriptions as the worker stored them in its SQLite file.</summary>
    private static async Task<List<Subscription>> StoredAsync(TempDirectory dir, string service)
    {
        await using var store = new SqliteTableStore(dir.File("monitor.db"));
        return await new SubscriptionStore(store, new MonitorTables(""), TimeProvider.System).ListAsync(service, CancellationToken.None).ToListAsync();
    }

    /// <summary>A request with a body, matched by the host to <paramref name="function"/> and proxied; the invocation must succeed.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(TestFunctionsHost host, Uri httpUri, RpcFunctionMetadata function,
        HttpMethod method, string pathAndQuery, HttpContent content, params (string Name, string Value)[] routeValues)
    {
        using var request = new HttpRequestMessage(method, new Uri(HostAddress, pathAndQuery)) { Content = content };
        var invocation = Invocations.Http(function, request, routeValues.ToDictionary(v => v.Name, v => v.Value));
        var (http, answer) = await host.ProxyAsync(httpUri, request, invocation);
        using var response = http;
        AssertSuccess(answer.Result, function.Name, host);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
