using ServerlessMonitor.Subscriptions;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Subscriptions;

public sealed class VapidTokenCacheTests
{
    [Fact]
    public void Get_WithinHalfItsLifetime_SameTokenPerAudience()
    {
        var clock = new ManualClock();
        var cache = new VapidTokenCache(clock);
        cache.Put("https://push.example", clock.GetUtcNow() + VapidAudienceHandler.Lifetime, "token-a");
        clock.Advance(VapidAudienceHandler.Lifetime / 2 - TimeSpan.FromMinutes(1));

        Assert.Equal("token-a", cache.Get("https://push.example"));
        Assert.Null(cache.Get("https://other.example"));
    }

    [Fact]
    public void Get_LessThanHalfItsLifetimeLeft_NullSoANewOneIsSigned()
    {
        var clock = new ManualClock();
        var cache = new VapidTokenCache(clock);
        cache.Put("https://push.example", clock.GetUtcNow() + VapidAudienceHandler.Lifetime, "token-a");
        clock.Advance(VapidAudienceHandler.Lifetime / 2);

        Assert.Null(cache.Get("https://push.example"));
    }
}
