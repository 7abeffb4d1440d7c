using OutageLab;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Tests.Support;
using static ServerlessMonitor.Tests.Probing.ProbeTestData;

namespace ServerlessMonitor.Tests.Probing;

public sealed class TcpProberTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private readonly OutageLabServer lab = fixture.Lab;
    private readonly TcpProber prober = new(new ManualClock());

    [Fact]
    public async Task ProbeAsync_Listening_ConnectedWithIpAndTimings()
    {
        var response = await prober.ProbeAsync(Tcp("127.0.0.1", lab.HttpPort), CancellationToken.None);

        Assert.True(response.Connected);
        Assert.Null(response.ErrorKind);
        Assert.Equal("127.0.0.1", response.Ip);
        Assert.NotNull(response.Timings.Connect);
        Assert.Null(response.Timings.Dns);
        Assert.True(response.Timings.Total >= response.Timings.Connect);
    }

    [Fact]
    public async Task ProbeAsync_HostName_ResolvesAndConnects()
    {
        var response = await prober.ProbeAsync(Tcp("localhost", lab.HttpPort), CancellationToken.None);

        Assert.True(response.Connected);
        Assert.Equal("127.0.0.1", response.Ip);
        Assert.NotNull(response.Timings.Dns);
    }

    [Fact]
    public async Task ProbeAsync_NothingListening_Refused()
    {
        var response = await prober.ProbeAsync(Tcp("127.0.0.1", lab.RefusedPort), CancellationToken.None);

        Assert.False(response.Connected);
        Assert.Equal(ErrorKind.Refused, response.ErrorKind);
        Assert.Contains($"127.0.0.1:{lab.RefusedPort}", response.Error);
    }

    [Fact]
    public async Task ProbeAsync_UnresolvableHost_Dns()
    {
        var response = await prober.ProbeAsync(Tcp("nothing-here.invalid", 443), CancellationToken.None);

        Assert.False(response.Connected);
        Assert.Equal(ErrorKind.Dns, response.ErrorKind);
    }

    [Fact]
    public async Task ProbeAsync_AlreadyCancelled_ThrowsOperationCanceled()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => prober.ProbeAsync(Tcp("127.0.0.1", lab.HttpPort), new CancellationToken(canceled: true)));
    }
}
