using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ServerlessMonitor.Tests.Admin;
using ServerlessMonitor.Tests.Storage;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Push;

/// <summary>
/// Heartbeats end to end on the standalone host, on both storage backends: a token from the admin API, beats over
/// HTTP, down when they stop (one Down alert), up on the next beat; the token never shows in logs or public answers.
/// </summary>
[Collection("Azurite")]
public sealed class PushEndToEndTests(AzuriteFixture azurite)
{
    public static string Catalog(string service, string expectation = "\"every\": \"00:05:00\", \"grace\": \"00:01:00\"") => $$"""
        { "services": [ { "id": "{{service}}", "name": "Nightly {{service}}", "endpoints": [
            { "id": "backup", "kind": "push", {{expectation}} } ] } ] }
        """;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task Beats_StopThenResume_DownOnceWithNoHeartbeatThenRecovered(string backend)
    {
        var service = "push-" + backend;
        using var dir = new TempDirectory();
        await using var receivers = await AlertReceivers.StartAsync();
        var settings = AdminHarness.WithKey(Backends.Settings(backend, azurite, dir.File("push.db"), "push" + Guid.NewGuid().ToString("N")[..8])
            .With(receivers.Settings()));
        await using var app = new MonitorAppFactory(Catalog(service), settings);
        var token = await CreateTokenAsync(app, service);
        var client = app.CreateClient();

        var first = await client.GetAsync($"/api/push/{token}");
        var afterFirstBeat = await app.EndpointStatusAsync(service, "backup");
        for (var i = 0; i < 5; i++)
        {
            await app.NextCycleAsync();
        }
        var stillOnTime = await app.EndpointStatusAsync(service, "backup");
        for (var i = 0; i < 3; i++)
        {
            await app.NextCycleAsync();
        }
        var late = await app.EndpointAsync(service, "backup");
        var kuma = await client.GetAsync($"/api/push/{token}?status=up&msg=OK&ping=42");
        var recovered = await app.EndpointStatusAsync(service, "backup");
        await app.NextCycleAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("{\"ok\":true}", await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, kuma.StatusCode);
        Assert.Equal("up", afterFirstBeat);
        Assert.Equal("up", stillOnTime);
        Assert.Equal("down", late.GetProperty("status").GetString());
        Assert.Equal("late", late.GetProperty("errorKind").GetString());
        Assert.StartsWith("no heartbeat since 12:00 UTC (expected by 12:06 UTC)", late.GetProperty("lastError").GetString());
        Assert.Equal("up", recovered);
        Assert.Equal("up", await app.EndpointStatusAsync(service, "backup"));
        Assert.Single(receivers.TopicEvents("ServerlessMonitor.Endpoint.Down"));
        Assert.Single(receivers.TopicEvents("ServerlessMonitor.Endpoint.Recovered"));
        var incident = Assert.Single((await app.IncidentsAsync(service)).EnumerateArray());
        Assert.Equal("no heartbeat", incident.GetProperty("likelyCause").GetString());
        await AssertTokenNowhereAsync(app, service, token, receivers);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("tables")]
    public async Task ExitCode_NonZeroThenZero_DownAtOnceAsReportedFailureThenUp(string backend)
    {
        var service = "push-exit-" + backend;
        using var dir = new TempDirectory();
        var settings = AdminHarness.WithKey(Backends.Settings(backend, azurite, dir.File("push.db"), "pushx" + Guid.NewGuid().ToString("N")[..8]));
        await using var app = new MonitorAppFactory(Catalog(service), settings);
        var token = await CreateTokenAsync(app, service);
        var client = app.CreateClient();

        await client.GetAsync($"/api/push/{token}/0");
        var failed = await client.PostAsync($"/api/push/{token}/3", new StringContent("rsync: <disk full>"));
        var down = await app.EndpointAsync(service, "backup");
        var page = await client.GetStringAsync("/");
        await client.GetAsync($"/api/push/{token}/0");

        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        Assert.Equal("down", down.GetProperty("status").GetString());
        Assert.Equal("reported", down.GetProperty("errorKind").GetString());
        Assert.Contains("(exit code 3): rsync: <disk full>", down.GetProperty("lastError").GetString());
        // The job's message is text: the page shows it escaped.
        Assert.Contains("rsync: &lt;disk full&gt;", page);
        Assert.DoesNotContain("<disk full>", page);
        Assert.Equal("up", await app.EndpointStatusAsync(service, "backup"));
        var incident = Assert.Single((await app.IncidentsAsync(service)).EnumerateArray());
        Assert.Equal("the job reported failure", incident.GetProperty("likelyCause").GetString());
    }

    [Fact]
    public async Task Beat_UnknownTokenOversizedBodyAndBadSignal_404Then413Then400()
    {
        const string service = "push-edges";
        await using var app = new MonitorAppFactory(Catalog(service), AdminHarness.WithKey());
        var token = await CreateTokenAsync(app, service);
        var client = app.CreateClient();

        var unknown = await client.GetAsync("/api/push/smp_" + new string('x', 43));
        var atCap = await client.PostAsync($"/api/push/{token}", new StringContent(new string('a', 10 * 1024)));
        var tooLarge = await client.PostAsync($"/api/push/{token}", new StringContent(new string('a', 10 * 1024 + 1)));
        var badSignal = await client.GetAsync($"/api/push/{token}/finish");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, atCap.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badSignal.StatusCode);
    }

    [Fact]
    public async Task Beat_MoreThanTheTokensRate_429WithRetryAfter()
    {
        const string service = "push-rate";
        await using var app = new MonitorAppFactory(Catalog(service), AdminHarness.WithKey(new() { ["Push:BeatsPerMinute"] = "3" }));
        var token = await CreateTokenAsync(app, service);
        var client = app.CreateClient();

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await client.GetAsync($"/api/push/{token}"));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers.Select(a => a.StatusCode));
        Assert.True(answers[3].Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task RotateToken_OldTokenStopsWorkingNewOneWorks()
    {
        const string service = "push-rotate";
        await using var app = new MonitorAppFactory(Catalog(service), AdminHarness.WithKey());
        var old = await CreateTokenAsync(app, service);
        var rotated = await CreateTokenAsync(app, service);
        var client = app.CreateClient();

        Assert.NotEqual(old, rotated);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/push/{old}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/push/{rotated}")).StatusCode);
    }

    [Fact]
    public async Task TokenSetting_TokenFromAppSetting_Accepted()
    {
        const string service = "push-setting";
        const string token = "smp_from-settings-0123456789abcdef0123456789";
        var catalog = Catalog(service, "\"every\": \"00:05:00\", \"tokenSetting\": \"Push:Tokens:Backup\"");
        await using var app = new MonitorAppFactory(catalog, new Dictionary<string, string?> { ["Push:Tokens:Backup"] = token });

        var beat = await app.CreateClient().GetAsync($"/api/push/{token}");

        Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        Assert.Equal("up", await app.EndpointStatusAsync(service, "backup"));
    }

    [Fact]
    public async Task RotateToken_NotAPushEndpointOrNoKey_404Or401()
    {
        const string service = "push-admin";
        await using var app = new MonitorAppFactory(Catalog(service), AdminHarness.WithKey());

        var unknown = await app.AdminClient().PostAsync($"/api/admin/push/{service}/nope/token", null);
        var noKey = await app.AdminClient(key: null).PostAsync($"/api/admin/push/{service}/backup/token", null);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
    }

    public static async Task<string> CreateTokenAsync(MonitorAppFactory app, string service, string endpoint = "backup")
    {
        var response = await app.AdminClient().PostAsync($"/api/admin/push/{service}/{endpoint}/token", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var token = body.GetProperty("token").GetString()!;
        Assert.StartsWith("smp_", token);
        Assert.Equal($"/api/push/{token}", body.GetProperty("pushPath").GetString());
        return token;
    }

    /// <summary>Grep: not in one log line, not in any public answer, not in any alert.</summary>
    private static async Task AssertTokenNowhereAsync(MonitorAppFactory app, string service, string token, AlertReceivers receivers)
    {
        var client = app.CreateClient();
        var publicAnswers = new StringBuilder();
        foreach (var path in new[] { "/", "/api/status", $"/api/status/{service}", $"/api/services/{service}/incidents",
            $"/api/services/{service}/checks", $"/api/services/{service}/uptime", "/api/feed.atom", "/api/openapi.json", $"/api/badges/{service}/status.svg" })
        {
            publicAnswers.Append(await client.GetStringAsync(path));
        }
        var hash = ServerlessMonitor.Push.PushTokens.Hash(token);
        Assert.NotEmpty(app.Logs.Entries);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Message.Contains(token, StringComparison.Ordinal) || e.Message.Contains(hash, StringComparison.Ordinal));
        Assert.DoesNotContain(token, publicAnswers.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, string.Join("\n", receivers.TopicEvents().Select(e => e.GetRawText())), StringComparison.Ordinal);
    }
}
