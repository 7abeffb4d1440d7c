using ServerlessMonitor.ReadModel;

namespace ServerlessMonitor.Tests.ReadModel;

public class ChangedServicesTests
{
    [Fact]
    public void Take_NothingBuiltYet_Everything()
    {
        var changed = new ChangedServices();

        var first = changed.Take();
        var second = changed.Take();

        Assert.True(first.All);
        Assert.False(second.Any);
    }

    [Fact]
    public void Take_Recorded_OnlyThoseServices()
    {
        var changed = new ChangedServices();
        changed.Take();
        changed.Recorded(["a", "b", "a"]);

        var taken = changed.Take();

        Assert.False(taken.All);
        Assert.True(taken.Touches("a"));
        Assert.True(taken.Touches("b"));
        Assert.False(taken.Touches("c"));
        Assert.False(changed.Take().Any);
    }

    [Fact]
    public void GiveBack_BuildFailed_NextTakeRendersThemAgain()
    {
        var changed = new ChangedServices();
        changed.Take();
        changed.Recorded(["a"]);
        var failed = changed.Take();
        changed.Recorded(["b"]);

        changed.GiveBack(failed);
        var next = changed.Take();

        Assert.True(next.Touches("a"));
        Assert.True(next.Touches("b"));
        Assert.False(next.All);
    }

    [Fact]
    public void Everything_AfterRecorded_AllServices()
    {
        var changed = new ChangedServices();
        changed.Take();
        changed.Recorded(["a"]);

        changed.Everything();

        Assert.True(changed.Take().All);
    }
}
