using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMonitor.Tests.Admin;
using ServerlessMonitor.Tests.Alerts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Status;

/// <summary>A target whose URL carries user:password and a token, with a secret header: none of them may reach anyone.</summary>
public class SecretsInOutputTests
{
    private const string Password = "pa55-Wörd";
    private const string Token = "t0ken-value";
    private const string ApiKey = "header-s3cret";
    private static readonly string ExpectedAuthorization = "Basic " + Convert.ToBase64String("probe:pa55-Wörd"u8.ToArray());

    [Fact]
    public async Task Probe_UrlWithCredentialsTokenAndSecretHeader_CredentialsUsedAsBasicAuth_NoSecretInAnyPublicOutputOrAlert()
    {
        var failing = false;
        await using var target = await LoopbackReceiver.StartAsync((request, response) =>
        {
            response.StatusCode = request.Header("Authorization") != ExpectedAuthorization ? 401 : failing ? 500 : 200;
            return Task.CompletedTask;
        });
        await using var receivers = await AlertReceivers.StartAsync();
        var url = $"http://probe:{Uri.EscapeDataString(Password)}@127.0.0.1:{target.Url.Port}/health?token={Token}&{Token}";
        var catalog = $$"""
            { "services": [ { "id": "secret", "name": "Secret", "endpoints": [
                { "id": "web", "url": "{{url}}", "headers": { "X-Api-Key": "{{ApiKey}}" }, "failureThreshold": 1 } ] } ] }
            """;
        await using var app = new MonitorAppFactory(catalog, AdminHarness.WithKey(receivers.Settings()));

        await app.NextCycleAsync();
        var endpoint = await app.EndpointAsync("secret");
        failing = true;
        await app.NextCycleAsync();

        // The credentials were used: the target answered 200 only to the right Basic header.
        Assert.Equal("up", endpoint.GetProperty("status").GetString());
        Assert.All(target.Requests, r => Assert.Equal(ExpectedAuthorization, r.Header("Authorization")));
        Assert.All(target.Requests, r => Assert.Equal(ApiKey, r.Header("X-Api-Key")));
        Assert.Equal($"http://127.0.0.1:{target.Url.Port}/health?token=***&***", endpoint.GetProperty("target").GetString());

        var client = app.CreateClient();
        var outputs = new List<string>
        {
            await client.GetStringAsync("/api/status"),
            await client.GetStringAsync("/api/status/secret"),
            await client.GetStringAsync("/api/services/secret/checks?endpoint=web"),
            await client.GetStringAsync("/api/services/secret/incidents"),
            await client.GetStringAsync("/api/feed.atom"),
            await client.GetStringAsync("/"),
            await app.AdminClient().GetStringAsync("/api/admin/maintenance"),
        };
        var probeNow = await app.AdminClient().PostAsync("/api/admin/probe/secret/web", null);
        outputs.Add(await probeNow.Content.ReadAsStringAsync());
        var down = Assert.Single(receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
        Assert.Equal($"http://127.0.0.1:{target.Url.Port}/health?token=***&***", down.GetProperty("data").GetProperty("url").GetString());
        outputs.AddRange(receivers.Topic.Requests.Concat(receivers.Hook.Requests).Select(r => r.BodyText));

        foreach (var output in outputs)
        {
            foreach (var secret in new[] { Password, Uri.EscapeDataString(Password), Token, ApiKey, "probe:", ExpectedAuthorization[6..] })
            {
                Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
            }
        }
    }
}
