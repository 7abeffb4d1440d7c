using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OutageLab;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using static ServerlessMonitor.Tests.Probing.ProbeTestData;

namespace ServerlessMonitor.Tests.Probing;

public sealed class HttpProberTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private readonly OutageLabServer lab = fixture.Lab;

    [Fact]
    public async Task ProbeAsync_Healthy_Returns200WithBodyTimingsAndIp()
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(lab.Http("/healthy")), CancellationToken.None);

        Assert.True(response.Connected);
        Assert.Equal(200, response.StatusCode);
        Assert.Null(response.Error);
        Assert.Null(response.ErrorKind);
        Assert.Equal("""{"status":"UP","items":[1,2,3]}""", response.Body);
        Assert.False(response.BodyTruncated);
        Assert.Equal("127.0.0.1", response.Ip);
        Assert.Null(response.Timings.Dns); // an IP literal needs no lookup
        Assert.NotNull(response.Timings.Connect);
        Assert.Null(response.Timings.Tls);
        Assert.NotNull(response.Timings.FirstByte);
        Assert.True(response.Timings.Total >= response.Timings.FirstByte);
        Assert.True(response.Timings.FirstByte >= response.Timings.Connect);
    }

    [Fact]
    public async Task ProbeAsync_HostName_ReportsDnsTimeAndAnsweringAddress()
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(new Uri($"http://localhost:{lab.HttpPort}/healthy")), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        Assert.NotNull(response.Timings.Dns);
        // The lab listens on 127.0.0.1 only: if ::1 came first it refused, and the next address answered.
        Assert.Equal("127.0.0.1", response.Ip);
    }

    [Theory]
    [InlineData("/error", 500)]
    [InlineData("/unavailable", 503)]
    [InlineData("/throttled", 429)]
    public async Task ProbeAsync_ErrorStatus_SurfacesStatusWithoutError(string path, int status)
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(lab.Http(path)), CancellationToken.None);

        Assert.True(response.Connected);
        Assert.Equal(status, response.StatusCode);
        Assert.Null(response.ErrorKind);
        Assert.NotNull(response.Body);
    }

    [Fact]
    public async Task ProbeAsync_Flapping_AlternatesBetween200And500()
    {
        using var prober = HttpProber();
        var endpoint = Http(lab.Http("/flapping"));

        var first = await prober.ProbeAsync(endpoint, CancellationToken.None);
        var second = await prober.ProbeAsync(endpoint, CancellationToken.None);

        Assert.Equal([200, 500], new[] { first.StatusCode!.Value, second.StatusCode!.Value }.Order());
    }

    [Fact]
    public async Task ProbeAsync_SlowBeyondTimeout_ReportsTimeoutWithoutWaitingForTheServer()
    {
        using var prober = HttpProber();
        var endpoint = Http(lab.Http("/slow?ms=20000")) with { Timeout = TimeSpan.FromMilliseconds(300) };
        var clock = Stopwatch.StartNew();

        var response = await prober.ProbeAsync(endpoint, CancellationToken.None);

        Assert.Equal(ErrorKind.Timeout, response.ErrorKind);
        Assert.False(response.Connected);
        Assert.Null(response.StatusCode);
        Assert.NotNull(response.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task ProbeAsync_SlowWithinTimeout_ReturnsAfterTheDelay()
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(lab.Http("/slow?ms=200")), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        Assert.True(response.Timings.Total >= TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task ProbeAsync_NothingListening_ReportsRefused()
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(new Uri($"http://127.0.0.1:{lab.RefusedPort}/")), CancellationToken.None);

        Assert.Equal(ErrorKind.Refused, response.ErrorKind);
        Assert.False(response.Connected);
        Assert.Null(response.StatusCode);
        Assert.Contains($"127.0.0.1:{lab.RefusedPort}", response.Error);
    }

    [Fact]
    public async Task ProbeAsync_Failure_ErrorNamesNoSecrets()
    {
        using var prober = HttpProber();
        var endpoint = Http(new Uri($"http://user:hunter2@127.0.0.1:{lab.RefusedPort}/x?token=hunter2")) with
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer hunter2" },
        };

        var response = await prober.ProbeAsync(endpoint, CancellationToken.None);

        Assert.NotNull(response.Error);
        Assert.DoesNotContain("hunter2", response.Error);
    }

    [Fact]
    public async Task ProbeAsync_UnresolvableHost_ReportsDns()
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(new Uri("http://nothing-here.invalid/")), CancellationToken.None);

        Assert.Equal(ErrorKind.Dns, response.ErrorKind);
        Assert.False(response.Connected);
    }

    [Fact]
    public async Task ProbeAsync_RedirectFollowed_ReturnsTarget()
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(lab.Http("/redirect")), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        Assert.Contains("\"UP\"", response.Body?.ToString());
    }

    [Fact]
    public async Task ProbeAsync_RedirectNotFollowed_Returns302()
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(lab.Http("/redirect")) with { FollowRedirects = false }, CancellationToken.None);

        Assert.Equal(302, response.StatusCode);
        Assert.Null(response.ErrorKind);
    }

    [Fact]
    public async Task ProbeAsync_RetryAfterSeconds_Parsed()
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(lab.Http("/unavailable")), CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(120), response.RetryAfter);
    }

    [Fact]
    public async Task ProbeAsync_RetryAfterDate_ParsedAsDelayFromNow()
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(lab.Http("/throttled")), CancellationToken.None);

        // The lab sends "now + 1 minute" as an HTTP date, which has whole seconds.
        Assert.NotNull(response.RetryAfter);
        Assert.InRange(response.RetryAfter.Value, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(61));
    }

    [Fact]
    public async Task ProbeAsync_NoRetryAfter_Null()
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(lab.Http("/error")), CancellationToken.None);

        Assert.Null(response.RetryAfter);
    }

    [Fact]
    public async Task ProbeAsync_MethodHeadersAndBody_AreSent()
    {
        using var prober = HttpProber();
        var endpoint = Http(lab.Http("/echo")) with
        {
            Method = "post",
            Headers = new Dictionary<string, string> { ["X-Probe"] = "lab", ["Content-Type"] = "application/json" },
            Body = """{"ping":true}""",
        };

        var response = await prober.ProbeAsync(endpoint, CancellationToken.None);

        using var echo = JsonDocument.Parse(response.Body!.ToString());
        Assert.Equal("POST", echo.RootElement.GetProperty("method").GetString());
        Assert.Equal("application/json", echo.RootElement.GetProperty("contentType").GetString());
        Assert.Equal("lab", echo.RootElement.GetProperty("headers").GetProperty("X-Probe").GetString());
        Assert.StartsWith("ServerlessMonitor/", echo.RootElement.GetProperty("headers").GetProperty("User-Agent").GetString());
        Assert.Equal("""{"ping":true}""", echo.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public async Task ProbeAsync_SwitchFlipped_StatusFollowsTheSwitch()
    {
        using var prober = HttpProber();
        using var control = new HttpClient();
        var endpoint = Http(lab.Http("/switch/http-prober-tests"));

        var before = await prober.ProbeAsync(endpoint, CancellationToken.None);
        (await control.PostAsync(lab.Http("/control/switch/http-prober-tests?down=true"), null)).EnsureSuccessStatusCode();
        var down = await prober.ProbeAsync(endpoint, CancellationToken.None);
        lab.Switches.Set("http-prober-tests", 504);
        var other = await prober.ProbeAsync(endpoint, CancellationToken.None);
        lab.Switches.Up("http-prober-tests");
        var after = await prober.ProbeAsync(endpoint, CancellationToken.None);

        Assert.Equal([200, 503, 504, 200], new[] { before, down, other, after }.Select(r => r.StatusCode!.Value));
    }

    [Fact]
    public async Task ProbeAsync_CallerCancels_ThrowsOperationCanceled()
    {
        using var prober = HttpProber();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => prober.ProbeAsync(Http(lab.Http("/slow?ms=20000")), cancel.Token));
    }

    [Fact]
    public async Task ProbeAsync_SecondRequest_ReusesPooledConnection()
    {
        using var prober = HttpProber();
        var endpoint = Http(lab.Http("/healthy"));
        var connectionsBefore = lab.ConnectionsAccepted;

        var first = await prober.ProbeAsync(endpoint, CancellationToken.None);
        var second = await prober.ProbeAsync(endpoint, CancellationToken.None);

        Assert.NotNull(first.Timings.Connect);
        Assert.Null(second.Timings.Connect);
        Assert.Null(second.Timings.Dns);
        Assert.NotNull(second.Timings.FirstByte);
        Assert.Equal("127.0.0.1", second.Ip); // still known from the connection it reused
        Assert.Equal(connectionsBefore + 1, lab.ConnectionsAccepted);
    }
}
