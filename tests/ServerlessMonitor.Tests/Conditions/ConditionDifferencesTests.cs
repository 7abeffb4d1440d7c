using ServerlessMonitor.Conditions;
using ServerlessMonitor.Probing;
using static ServerlessMonitor.Tests.Conditions.ConditionTestData;

namespace ServerlessMonitor.Tests.Conditions;

/// <summary>Every "Here:" example of docs/CONDITIONS.md, so the document cannot drift from the code.</summary>
public sealed class ConditionDifferencesTests
{
    private const string Page = "<!DOCTYPE html><html lang=\"en\"><head><meta http-equiv=\"Content-Type\" content=\"text/html\" /></head><body>ok</body></html>";

    [Theory]
    [InlineData("[RESPNSE_TIME] < 500", "unknown placeholder '[RESPNSE_TIME]'")]
    [InlineData("[DOMAIN_EXPIRATION] > 720h", "unknown placeholder '[DOMAIN_EXPIRATION]'")]
    [InlineData("[HEADER].Content-Type == text/html", "unknown placeholder '[HEADER]'")]
    [InlineData("age([BODY].updated) < 10m", "unknown function 'age()'; supported functions are len(), has(), pat() and any()")]
    [InlineData("[CERTIFICATE_EXPIRATION] > 7d", "there is no day unit, write 168h for 7d")]
    [InlineData("pat(4*) == any(404, 410)", "pat() and any() compare a value with a pattern or a list: only one side may use them")]
    [InlineData("[STATUS] < pat(4*)", "pat() can only be used with == or !=")]
    [InlineData("has([BODY].errors) == yes", "has() must be compared with true or false, not 'yes'")]
    public void Documented_LoadError(string condition, string fragment)
    {
        Assert.False(Condition.TryParse(condition, out _, out var error));
        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[BODY].errors < 1", """{"errors": "many"}""", false, "[BODY].errors (many) < 1")]
    [InlineData("[BODY].ratio > 0.5", """{"ratio": 0.9}""", true, "[BODY].ratio (0.9) > 0.5")]
    [InlineData("[BODY].error != fatal", "{}", false, "[BODY].error (INVALID) != fatal")]
    [InlineData("has([BODY].error) == false", "{}", true, "has([BODY].error) (false) == false")]
    [InlineData("[BODY].count == 1000000", """{"count": 1000000}""", true, "[BODY].count (1000000) == 1000000")]
    [InlineData("any(200, 204) == [STATUS]", "", true, "any(200, 204) == [STATUS] (204)")]
    [InlineData("[BODY] == ok", Page, false, "[BODY] (<!DOCTYPE html><html lang=\"en\"><head><meta http-eq...(truncated)) == ok")]
    public void Documented_Evaluation(string condition, string body, bool success, string resolved)
    {
        var result = Evaluate(condition, new ProbeResponse { StatusCode = 204, Body = body });

        Assert.Equal((success, resolved), (result.Success, result.Resolved));
    }

    [Fact]
    public void Document_ExistsAndIsLinkedFromTheReadmeAndTheConditionsCode()
    {
        var root = RepositoryRoot();
        Assert.True(File.Exists(Path.Combine(root, "docs", "CONDITIONS.md")));
        Assert.Contains("docs/CONDITIONS.md", File.ReadAllText(Path.Combine(root, "README.md")), StringComparison.Ordinal);
        var code = Directory.GetFiles(Path.Combine(root, "functions", "ServerlessMonitor", "Conditions"), "*.cs").Select(File.ReadAllText).ToList();
        Assert.True(code.Count(c => c.Contains("docs/CONDITIONS.md", StringComparison.Ordinal)) >= 4);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ServerlessMonitor.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
