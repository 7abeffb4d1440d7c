using ServerlessMonitor.Status;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests;

/// <summary>
/// Feature folders depend one way (STYLE.md rule 1): Rollups → Incidents → Status. A type of a lower folder that needs one of
/// a higher folder lives in the wrong one; the cycle these three once made (issue 20) must not come back.
/// </summary>
public sealed class FolderDependencyTests
{
    private const string Library = "ServerlessMonitor.";
    private const string Samples = "ServerlessMonitor.Tests.FolderDependencySamples.";

    public static TheoryData<string, string> Forbidden => new()
    {
        { "Status", "Incidents" },
        { "Status", "Rollups" },
        { "Incidents", "Rollups" },
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void Between_LowerFolderToHigherFolder_FindsNoUse(string from, string to)
    {
        var uses = TypeReferences.Between(typeof(StatusBoard).Assembly, Library + from, Library + to);

        Assert.True(uses.Count == 0, $"{from} must not use {to}:\n{string.Join('\n', uses)}");
    }

    [Fact]
    public void Between_HigherFolderToLowerFolder_FindsItsUses()
    {
        var uses = TypeReferences.Between(typeof(StatusBoard).Assembly, Library + "Incidents", Library + "Status");

        Assert.Contains(uses, u => u.EndsWith("ServerlessMonitor.Status.HealthStatus", StringComparison.Ordinal));
    }

    [Fact]
    public void Between_UsesInBodiesLambdasAndSignatures_FindsEach()
    {
        var uses = TypeReferences.Between(typeof(FolderDependencyTests).Assembly, Samples + "Lower", Samples + "Upper");

        Assert.Contains(uses, u => u.Contains("Lower.InBody", StringComparison.Ordinal) && u.EndsWith("Upper.Thing", StringComparison.Ordinal));
        Assert.Contains(uses, u => u.Contains("Lower.InAsyncLambda", StringComparison.Ordinal) && u.EndsWith("Upper.Thing", StringComparison.Ordinal));
        Assert.Contains(uses, u => u.Contains("Lower.InGenericField", StringComparison.Ordinal) && u.EndsWith("Upper.Thing", StringComparison.Ordinal));
        Assert.Contains(uses, u => u.Contains("Lower.InStaticCall", StringComparison.Ordinal) && u.EndsWith("Upper.Codec", StringComparison.Ordinal));
        Assert.DoesNotContain(uses, u => u.Contains("Lower.Clean", StringComparison.Ordinal));
    }
}
