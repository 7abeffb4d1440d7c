using OutageLab;

namespace ServerlessMonitor.Tests.Probing;

/// <summary>The lab's seeded random failures, which the --signal rig's numbers rest on.</summary>
public class LabChaosTests
{
    [Fact]
    public void Next_SameSeed_SameFaultsWhateverTheOrderOfNames()
    {
        var a = new LabChaos { Loss = 0.2, Seed = 7 };
        var b = new LabChaos { Loss = 0.2, Seed = 7 };

        var fromA = Draw(a, ["x", "y"]);
        var fromB = Draw(b, ["y", "x"]);

        Assert.Equal(fromA["x"], fromB["x"]);
        Assert.Equal(fromA["y"], fromB["y"]);
        Assert.NotEqual(fromA["x"], Draw(new LabChaos { Loss = 0.2, Seed = 8 }, ["x"])["x"]);
    }

    [Fact]
    public void Next_ManyRounds_FailsAtTheLossRateInThreeEqualKinds()
    {
        var chaos = new LabChaos { Loss = 0.1, Seed = 1 };
        var faults = Draw(chaos, ["svc"], rounds: 10_000)["svc"];

        // 20,000 draws: 2,000 failures expected (σ ≈ 42), about 667 of each kind (σ ≈ 25).
        Assert.InRange(faults.Count(f => f != ChaosFault.None), 1_850, 2_150);
        foreach (var kind in new[] { ChaosFault.Reset, ChaosFault.ServerError, ChaosFault.Hang })
        {
            Assert.InRange(faults.Count(f => f == kind), 580, 750);
        }
    }

    [Fact]
    public void Next_NameDown_ServerErrorEveryTime()
    {
        var chaos = new LabChaos { Loss = 0, Seed = 1 };
        chaos.Down["svc"] = true;

        Assert.All(Draw(chaos, ["svc"], rounds: 50)["svc"], f => Assert.Equal(ChaosFault.ServerError, f));
    }

    /// <summary>Two requests per name per round (a probe and its confirming retry).</summary>
    private static Dictionary<string, List<ChaosFault>> Draw(LabChaos chaos, string[] names, int rounds = 200)
    {
        var faults = names.ToDictionary(n => n, _ => new List<ChaosFault>());
        for (var round = 0; round < rounds; round++)
        {
            chaos.Round = round;
            foreach (var name in names)
            {
                faults[name].Add(chaos.Next(name));
                faults[name].Add(chaos.Next(name));
            }
        }
        return faults;
    }
}
