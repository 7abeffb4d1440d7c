using ServerlessMonitor.Alerts;
using ServerlessMonitor.SelfCheck;

namespace ServerlessMonitor.Tests.SelfCheck;

public class LocationStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 3, 0, TimeSpan.Zero);

    [Fact]
    public void Transition_OnlineToOffline_SinceNowLastGoodFromTheLastGoodCycle_OneOfflineEvent()
    {
        var change = LocationStateMachine.Transition(LocationState.Online("eu"), offline: true, Now, lastGood: Now.AddMinutes(-1), "5 of 5 services");

        Assert.NotNull(change);
        Assert.Equal(AlertTypes.MonitorOffline, change.EventType);
        Assert.Equal(new LocationState("eu", true, Now, Now.AddMinutes(-1), "5 of 5 services"), change.Next);
    }

    [Fact]
    public void Transition_OfflineToOnline_LastGoodNow_OneOnlineEvent()
    {
        var offline = new LocationState("eu", true, Now.AddMinutes(-12), Now.AddMinutes(-13), "x");

        var change = LocationStateMachine.Transition(offline, offline: false, Now, lastGood: null, "0 of 5 services");

        Assert.Equal(AlertTypes.MonitorOnline, change!.EventType);
        Assert.Equal((false, Now, Now), (change.Next.Offline, change.Next.Since, change.Next.LastGood));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Transition_SameVerdict_NoChange(bool offline)
    {
        var state = new LocationState("eu", offline, Now.AddMinutes(-5), Now.AddMinutes(-6), "x");

        Assert.Null(LocationStateMachine.Transition(state, offline, Now, Now, "y"));
    }

    [Fact]
    public void Transition_RestartedProcessWithoutMemory_KeepsTheStoredLastGood()
    {
        var state = new LocationState("eu", false, Now.AddHours(-2), Now.AddHours(-2), "x");

        var change = LocationStateMachine.Transition(state, offline: true, Now, lastGood: null, "y");

        Assert.Equal(Now.AddHours(-2), change!.Next.LastGood);
    }

    [Fact]
    public void LocationEvents_OfflineThenOnline_PairedIdsSubjectAndData()
    {
        var offline = LocationStateMachine.Transition(LocationState.Online("eu"), true, Now, Now.AddMinutes(-1), "5 of 5 services unreachable")!;
        var online = LocationStateMachine.Transition(offline.Next, false, Now.AddMinutes(12), null, "0 of 5 services unreachable")!;

        var down = LocationEvents.Create(offline, "prod", "https://status.example.org/", Now);
        var up = LocationEvents.Create(online, "prod", null, Now.AddMinutes(12));

        Assert.Equal(("ServerlessMonitor.Monitor.Offline", "monitor/regions/eu", "/serverlessmonitor/prod"), (down.Type, down.Subject, down.Source));
        Assert.Equal(("offline", "online", "eu"), (down.Data.Status, down.Data.PreviousStatus, down.Data.Region));
        Assert.Null(down.Data.Service);
        Assert.Equal(Now.AddMinutes(-1), down.Data.StatusesFrom);
        Assert.Equal("Our probes in eu cannot reach the internet since 12:03 UTC; their results are left out until they can.", down.Data.Message);
        Assert.Equal("5 of 5 services unreachable", down.Data.Evidence);
        Assert.Equal(("ServerlessMonitor.Monitor.Online", "online", Now, Now.AddMinutes(12), 720d),
            (up.Type, up.Data.Status, up.Data.Start, up.Data.End, up.Data.DurationSeconds));
        Assert.Equal("Our probes in eu reach the internet again since 12:15 UTC, after 12 min offline.", up.Data.Message);
        // Recomputing the same transition (a retried write) gives the same id; the two events differ.
        Assert.Equal(down.Id, LocationEvents.Create(offline, "prod", null, Now.AddSeconds(5)).Id);
        Assert.NotEqual(down.Id, up.Id);
    }
}
