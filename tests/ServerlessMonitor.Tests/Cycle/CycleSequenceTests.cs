using ServerlessMonitor.Cycle;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>The cycle's sequence is written once (STYLE.md rule 17): both paths call it and neither runs its steps itself.</summary>
public sealed class CycleSequenceTests
{
    [Theory]
    [InlineData(typeof(ProbeCycle))]
    [InlineData(typeof(ShardRunner))]
    public void UsedBy_InProcessAndQueuePaths_RunTheStepsThroughCycleSequence(Type path)
    {
        var used = TypeReferences.UsedBy(path);

        Assert.Contains(typeof(CycleSequence), used);
        Assert.DoesNotContain(typeof(ShardProbing), used);
        Assert.DoesNotContain(typeof(Recording), used);
    }
}
