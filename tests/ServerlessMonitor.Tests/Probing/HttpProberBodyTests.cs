using OutageLab;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using static ServerlessMonitor.Tests.Probing.ProbeTestData;

namespace ServerlessMonitor.Tests.Probing;

public sealed class HttpProberBodyTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private readonly OutageLabServer lab = fixture.Lab;

    [Fact]
    public async Task ProbeAsync_BodyOverDefaultCap_TruncatedAtCap()
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(lab.Http("/big")), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        Assert.True(response.BodyTruncated);
        Assert.Equal(1024 * 1024, response.Body!.Length);
        Assert.Null(response.ErrorKind);
    }

    [Theory]
    [InlineData(4096, 4095, false)]
    [InlineData(4096, 4096, false)]
    [InlineData(4096, 4097, true)]
    [InlineData(4096, 100_000, true)]
    [InlineData(4096, 0, false)]
    public async Task ProbeAsync_BodyAroundCap_ReadsAtMostCap(int cap, int size, bool truncated)
    {
        using var prober = HttpProber(maxBodyBytes: cap);

        var response = await prober.ProbeAsync(Http(lab.Http($"/big?bytes={size}")), CancellationToken.None);

        Assert.Equal(truncated, response.BodyTruncated);
        Assert.Equal(Math.Min(size, cap), response.Body!.Length);
    }

    [Fact]
    public async Task ProbeAsync_DeclaredLengthOverCap_Truncated()
    {
        using var prober = HttpProber(maxBodyBytes: 16);

        // /healthy declares its Content-Length, unlike the streamed /big.
        var response = await prober.ProbeAsync(Http(lab.Http("/healthy")), CancellationToken.None);

        Assert.True(response.BodyTruncated);
        Assert.Equal("""{"status":"UP","items":[1,2,3]}"""[..16], response.Body);
    }

    [Fact]
    public async Task ProbeAsync_BodySlowerThanTimeout_TimeoutWithStatus()
    {
        using var prober = HttpProber();
        var endpoint = Http(lab.Http("/drip?ms=400")) with { Timeout = TimeSpan.FromMilliseconds(600) };

        var response = await prober.ProbeAsync(endpoint, CancellationToken.None);

        // The headers arrived in time, the 20-second body did not: the timeout covers the body too.
        Assert.Equal(ErrorKind.Timeout, response.ErrorKind);
        Assert.True(response.Connected);
        Assert.Equal(200, response.StatusCode);
        Assert.NotNull(response.Timings.FirstByte);
        Assert.True(response.Timings.Total < TimeSpan.FromSeconds(10), $"took {response.Timings.Total}");
    }

    [Fact]
    public async Task ProbeAsync_HeadRequest_EmptyBody()
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(lab.Http("/healthy")) with { Method = "HEAD" }, CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("", response.Body);
        Assert.False(response.BodyTruncated);
    }
}
