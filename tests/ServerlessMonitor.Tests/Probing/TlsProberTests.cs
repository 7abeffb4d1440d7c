using OutageLab;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Tests.Support;
using static ServerlessMonitor.Tests.Probing.ProbeTestData;

namespace ServerlessMonitor.Tests.Probing;

public sealed class TlsProberTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private readonly OutageLabServer lab = fixture.Lab;
    private readonly TlsProber prober = new(new ManualClock());

    [Fact]
    public async Task ProbeAsync_SelfSignedNotInsecure_TlsErrorWithExpiry()
    {
        var response = await prober.ProbeAsync(Tls("127.0.0.1", lab.HttpsPort), CancellationToken.None);

        Assert.Equal(ErrorKind.Tls, response.ErrorKind);
        Assert.Contains("UntrustedRoot", response.Error);
        AssertSameInstant(lab.CertificateNotAfter, response.CertificateExpiry);
    }

    [Fact]
    public async Task ProbeAsync_SelfSignedInsecure_ExpiryAndTimingsWithoutError()
    {
        var response = await prober.ProbeAsync(Tls("localhost", lab.HttpsPort) with { InsecureTls = true }, CancellationToken.None);

        Assert.True(response.Connected);
        Assert.Null(response.ErrorKind);
        Assert.Equal("127.0.0.1", response.Ip);
        AssertSameInstant(lab.CertificateNotAfter, response.CertificateExpiry);
        Assert.NotNull(response.Timings.Dns);
        Assert.NotNull(response.Timings.Connect);
        Assert.NotNull(response.Timings.Tls);
    }

    [Fact]
    public async Task ProbeAsync_NothingListening_Refused()
    {
        var response = await prober.ProbeAsync(Tls("127.0.0.1", lab.RefusedPort), CancellationToken.None);

        Assert.False(response.Connected);
        Assert.Equal(ErrorKind.Refused, response.ErrorKind);
        Assert.Null(response.CertificateExpiry);
    }

    [Fact]
    public async Task ProbeAsync_PlainHttpPort_TlsError()
    {
        var response = await prober.ProbeAsync(Tls("127.0.0.1", lab.HttpPort), CancellationToken.None);

        Assert.False(response.Connected);
        Assert.Equal(ErrorKind.Tls, response.ErrorKind);
    }

    [Fact]
    public async Task ProbeAsync_AlreadyCancelled_ThrowsOperationCanceled()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => prober.ProbeAsync(Tls("127.0.0.1", lab.HttpsPort), new CancellationToken(canceled: true)));
    }
}
