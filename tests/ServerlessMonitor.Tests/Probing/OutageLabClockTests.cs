using OutageLab;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Probing;

/// <summary>The lab's dates come from the clock it is given, so tests never mix a pinned date with the machine's.</summary>
public class OutageLabClockTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(400)]
    [InlineData(-30)]
    public async Task Certificate_DatedFromTheLabsClock_NotTheMachines(int daysFromEpoch)
    {
        var clock = new ManualClock(ManualClock.Epoch.AddDays(daysFromEpoch));

        await using var lab = await OutageLabServer.StartAsync(new OutageLabOptions { Clock = clock, CertificateLifetime = TimeSpan.FromDays(5) });

        Assert.Equal(clock.GetUtcNow().AddDays(5), lab.CertificateNotAfter);
        Assert.Equal(clock.GetUtcNow().AddDays(-1), new DateTimeOffset(lab.Certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero));
    }
}
