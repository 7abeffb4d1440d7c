using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMonitor.Tests.Probing;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Hosting;

/// <summary>The calls the Azure Functions host makes to a custom handler, made by the test.</summary>
public class CustomHandlerTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ProbeTimer_HostPayload_ProbesAndAnswersInvocationResponse(bool payloadAsString)
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "ch-" + payloadAsString.ToString().ToLowerInvariant()));

        using var response = await app.FireProbeTimerAsync(payloadAsString);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal(JsonValueKind.Object, root.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("ReturnValue").ValueKind);
        var log = Assert.Single(root.GetProperty("Logs").EnumerateArray()).GetString();
        Assert.StartsWith("probe cycle: 1 of 1 endpoints due; 1 up, 0 degraded, 0 down", log);

        var status = await app.CreateClient().GetFromJsonAsync<JsonElement>("/api/status");
        var endpoint = status.GetProperty("services")[0].GetProperty("endpoints")[0];
        Assert.Equal("up", endpoint.GetProperty("status").GetString());
        Assert.True(endpoint.GetProperty("responseTimeMs").GetInt64() >= 0);
        Assert.Equal(200, endpoint.GetProperty("httpStatus").GetInt32());
    }

    [Fact]
    public async Task ProbeTimer_PastDue_StillRuns()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "ch-pastdue"));

        using var response = await app.FireProbeTimerAsync(isPastDue: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("1 up", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ProbeTimer_NotDueYet_ProbesNothing()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "ch-notdue"));
        (await app.FireProbeTimerAsync()).Dispose();
        app.Clock.Advance(TimeSpan.FromSeconds(30));

        using var response = await app.FireProbeTimerAsync();

        Assert.Contains("probe cycle: 0 of 1 endpoints due", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ProbeTimer_MalformedPayload_Answers400()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "ch-bad"));

        using var response = await app.CreateClient().PostAsync("/ProbeTimer", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ProbeTimer_Standalone_IsNotExposed()
    {
        await using var app = new MonitorAppFactory(LabCatalog.Switches(fixture.Lab, "ch-standalone"), hosted: false);

        using var response = await app.CreateClient().PostAsync("/ProbeTimer", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Hosted_RealProcess_ListensOnHandlerPortSchedulesNothingAndServesForwardedRequests()
    {
        using var dir = new TempDirectory();
        var port = AppProcess.FreePort();
        await using var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(),
            ["Monitor__Catalog"] = dir.Write("monitors.json", LabCatalog.Switches(fixture.Lab, "ch-process")),
            ["Monitor__ProbeSchedule"] = "* * * * * *",
            ["Storage__SqlitePath"] = dir.File("m.db"),
        });
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        await app.WaitUntilHealthyAsync(baseUri, TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = baseUri };

        // A schedule of every second would have fired by now if the app scheduled anything itself.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var before = await http.GetFromJsonAsync<JsonElement>("/api/status");
        var invocation = await http.PostAsync("/ProbeTimer", HostPayload.Timer("ProbeTimer"));
        var after = await http.GetFromJsonAsync<JsonElement>("/api/status");

        Assert.Equal("unknown", before.GetProperty("services")[0].GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, invocation.StatusCode);
        Assert.Equal("up", after.GetProperty("services")[0].GetProperty("status").GetString());
        Assert.Contains("custom-handler", await http.GetStringAsync("/api/health"));
    }

    [Fact]
    public async Task Standalone_RealProcess_SchedulerProbesOnItsOwn()
    {
        using var dir = new TempDirectory();
        var port = AppProcess.FreePort();
        await using var app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Monitor__Catalog"] = dir.Write("monitors.json", LabCatalog.Switches(fixture.Lab, "ch-standalone-process")),
            ["Monitor__ProbeSchedule"] = "* * * * * *",
            ["Storage__SqlitePath"] = dir.File("m.db"),
        });
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        await app.WaitUntilHealthyAsync(baseUri, TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = baseUri };

        string? status = null;
        for (var i = 0; i < 100 && status != "up"; i++)
        {
            await Task.Delay(200);
            status = (await http.GetFromJsonAsync<JsonElement>("/api/status")).GetProperty("services")[0].GetProperty("status").GetString();
        }

        Assert.Equal("up", status);
        Assert.Contains("standalone", await http.GetStringAsync("/api/health"));
    }
}
