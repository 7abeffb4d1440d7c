using ServerlessMonitor.Incidents;
using ServerlessMonitor.Status;

namespace ServerlessMonitor.Tests.Incidents;

public class GlobalStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Regions as "name=status[@minutesAgo]"; quorum 0 = all regions.</summary>
    [Theory]
    [InlineData("local=up", 0, "up", "")]
    [InlineData("local=down", 0, "down", "local")]
    [InlineData("eu=down us=up", 0, "partial", "eu")]
    [InlineData("eu=down us=down", 0, "down", "eu,us")]
    [InlineData("eu=down us=down asia=up", 0, "partial", "eu,us")]
    [InlineData("eu=down us=down asia=up", 2, "down", "eu,us")]
    [InlineData("eu=down us=up asia=up", 2, "partial", "eu")]
    [InlineData("eu=degraded us=up", 0, "degraded", "")]
    [InlineData("eu=maintenance us=up", 0, "maintenance", "")]
    [InlineData("eu=down us=maintenance", 0, "partial", "eu")]
    [InlineData("eu=down us=up@30", 0, "down", "eu")]
    [InlineData("eu=unknown us=up", 0, "up", "")]
    [InlineData("eu=unknown", 0, "unknown", "")]
    [InlineData("eu=down@30", 0, "unknown", "")]
    public void Combine_Regions_GiveGlobalStatus(string regions, int quorum, string expected, string expectedDown)
    {
        var states = regions.Split(' ').Select(r =>
        {
            var (name, rest) = (r.Split('=')[0], r.Split('=')[1]);
            var parts = rest.Split('@');
            var lastCheck = Now.AddMinutes(-(parts.Length > 1 ? int.Parse(parts[1]) : 1));
            return new RegionState(name, EndpointState.Initial with { Status = HealthStatusText.ParseWire(parts[0]), LastCheck = lastCheck });
        });

        var view = GlobalStatus.Combine(states, quorum, Now, staleAfter: TimeSpan.FromMinutes(10));

        Assert.Equal(expected, view.Status.ToWire());
        Assert.Equal(expectedDown, string.Join(',', view.DownRegions));
    }

    /// <summary>Regions the self-check found offline have no say: not in the quorum, not among the down regions.</summary>
    [Theory]
    [InlineData("a=up b=up c=down", "c", 0, "up", "")]
    [InlineData("a=down b=down c=up", "c", 0, "down", "a,b")]
    [InlineData("a=down b=up c=up", "c", 0, "partial", "a")]
    [InlineData("a=down b=up c=up", "", 0, "partial", "a")]
    [InlineData("a=down b=down c=up", "", 0, "partial", "a,b")]
    [InlineData("a=down b=down c=up", "b,c", 2, "down", "a")]
    public void Combine_OfflineRegions_LeftOutOfTheQuorum(string regions, string offline, int quorum, string expected, string expectedDown)
    {
        var states = regions.Split(' ').Select(r => new RegionState(r.Split('=')[0],
            EndpointState.Initial with { Status = HealthStatusText.ParseWire(r.Split('=')[1]), LastCheck = Now.AddMinutes(-1) }));
        var excluded = offline.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();

        var view = GlobalStatus.Combine(states, quorum, Now, staleAfter: TimeSpan.FromMinutes(10), excluded);

        Assert.Equal(expected, view.Status.ToWire());
        Assert.Equal(expectedDown, string.Join(',', view.DownRegions));
        Assert.DoesNotContain(view.Regions, excluded.Contains);
    }
}
