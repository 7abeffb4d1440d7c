using OutageLab;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using static ServerlessMonitor.Tests.Probing.ProbeTestData;

namespace ServerlessMonitor.Tests.Probing;

public sealed class HttpProberTlsTests(OutageLabFixture fixture) : IClassFixture<OutageLabFixture>
{
    private readonly OutageLabServer lab = fixture.Lab;

    [Fact]
    public async Task ProbeAsync_SelfSignedNotInsecure_ReportsTlsErrorWithExpiry()
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(lab.Https("/healthy")), CancellationToken.None);

        Assert.Equal(ErrorKind.Tls, response.ErrorKind);
        Assert.False(response.Connected);
        Assert.Null(response.StatusCode);
        Assert.Contains("not trusted", response.Error);
        AssertSameInstant(lab.CertificateNotAfter, response.CertificateExpiry);
        Assert.NotNull(response.Timings.Tls);
    }

    [Fact]
    public async Task ProbeAsync_SelfSignedInsecure_Returns200WithExpiryAndTlsTime()
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(lab.Https("/healthy")) with { InsecureTls = true }, CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        Assert.Null(response.ErrorKind);
        AssertSameInstant(lab.CertificateNotAfter, response.CertificateExpiry);
        Assert.NotNull(response.Timings.Connect);
        Assert.NotNull(response.Timings.Tls);
        Assert.True(response.Timings.FirstByte >= response.Timings.Tls);
    }

    [Fact]
    public async Task ProbeAsync_InsecureByHostName_SendsSniAndSucceeds()
    {
        using var prober = HttpProber();
        var endpoint = Http(new Uri($"https://localhost:{lab.HttpsPort}/healthy")) with { InsecureTls = true };

        var response = await prober.ProbeAsync(endpoint, CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        AssertSameInstant(lab.CertificateNotAfter, response.CertificateExpiry);
    }

    [Fact]
    public async Task ProbeAsync_PooledTlsConnection_StillReportsExpiry()
    {
        using var prober = HttpProber();
        var endpoint = Http(lab.Https("/healthy")) with { InsecureTls = true };

        await prober.ProbeAsync(endpoint, CancellationToken.None);
        var second = await prober.ProbeAsync(endpoint, CancellationToken.None);

        Assert.Equal(200, second.StatusCode);
        Assert.Null(second.Timings.Tls); // no new handshake …
        AssertSameInstant(lab.CertificateNotAfter, second.CertificateExpiry); // … but the same certificate
    }

    [Fact]
    public async Task ProbeAsync_StrictAfterInsecure_PoolsAreSeparate()
    {
        using var prober = HttpProber();
        var endpoint = Http(lab.Https("/healthy"));

        await prober.ProbeAsync(endpoint with { InsecureTls = true }, CancellationToken.None);
        var strict = await prober.ProbeAsync(endpoint, CancellationToken.None);

        // A connection accepted by an insecure endpoint must never serve a strict one.
        Assert.Equal(ErrorKind.Tls, strict.ErrorKind);
    }

    [Fact]
    public async Task ProbeAsync_HttpsToPlainHttpPort_ReportsTls()
    {
        using var prober = HttpProber();

        var response = await prober.ProbeAsync(Http(new Uri($"https://127.0.0.1:{lab.HttpPort}/healthy")), CancellationToken.None);

        Assert.Equal(ErrorKind.Tls, response.ErrorKind);
        Assert.False(response.Connected);
    }
}
