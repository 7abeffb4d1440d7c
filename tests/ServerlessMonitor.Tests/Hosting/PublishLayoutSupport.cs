using System.Text.Json.Nodes;

namespace ServerlessMonitor.Tests.Hosting;

/// <summary>Function folders as they are in the source tree (test data must exist before the publish runs).</summary>
internal static class SourceLayout
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string AppDir => Path.Combine(RepoRoot, "functions", "ServerlessMonitor");

    public static IEnumerable<string> FunctionNames() =>
        Directory.GetDirectories(AppDir)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(d => Path.GetFileName(d)!)
            .Order(StringComparer.Ordinal);

    public static bool IsTimer(string function)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppDir, function, "function.json")));
        return json?["bindings"]?.AsArray().Any(b => b?["type"]?.GetValue<string>() == "timerTrigger") == true;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ServerlessMonitor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ServerlessMonitor.sln not found above {AppContext.BaseDirectory}");
    }
}
