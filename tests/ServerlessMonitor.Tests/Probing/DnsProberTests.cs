using System.Net;
using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using ServerlessMonitor.Tests.Support;
using static ServerlessMonitor.Tests.Probing.ProbeTestData;

namespace ServerlessMonitor.Tests.Probing;

public sealed class DnsProberTests
{
    private readonly DnsProber prober = new(new ManualClock());

    [Fact]
    public async Task ProbeAsync_Localhost_NoErrorWithLoopbackAddress()
    {
        var response = await prober.ProbeAsync(Dns("localhost"), CancellationToken.None);

        Assert.Equal("NOERROR", response.DnsRcode);
        Assert.Null(response.ErrorKind);
        Assert.True(response.Connected);
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(response.Ip!)));
        Assert.NotNull(response.Timings.Dns);
    }

    [Fact]
    public async Task ProbeAsync_InvalidName_NxDomainOrServFailWithDnsError()
    {
        var response = await prober.ProbeAsync(Dns("nothing-here.invalid"), CancellationToken.None);

        // RFC 6761 guarantees .invalid never resolves; whether the resolver says "no such name" or
        // "failed" depends on the machine's DNS set-up.
        Assert.Contains(response.DnsRcode, new[] { "NXDOMAIN", "SERVFAIL" });
        Assert.Equal(ErrorKind.Dns, response.ErrorKind);
        Assert.Null(response.Ip);
        Assert.Contains("nothing-here.invalid", response.Error);
    }

    [Fact]
    public async Task ProbeAsync_AddressLiteral_NoErrorWithThatAddress()
    {
        var response = await prober.ProbeAsync(Dns("127.0.0.1"), CancellationToken.None);

        Assert.Equal("NOERROR", response.DnsRcode);
        Assert.Equal("127.0.0.1", response.Ip);
    }

    [Fact]
    public async Task ProbeAsync_AlreadyCancelled_ThrowsOperationCanceled()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => prober.ProbeAsync(Dns("localhost"), new CancellationToken(canceled: true)));
    }
}
