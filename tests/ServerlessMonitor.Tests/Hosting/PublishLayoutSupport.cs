using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using NCrontab;
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

/// <summary>Request bodies shaped like the ones the Functions host sends to a custom handler.</summary>
internal static class HostPayload
{
    public static StringContent Timer(string function, string bindingName)
    {
        var now = DateTimeOffset.UtcNow;
        var payload = new JsonObject
        {
            ["Data"] = new JsonObject
            {
                [bindingName] = new JsonObject
                {
                    ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                    ["ScheduleStatus"] = new JsonObject
                    {
                        ["Last"] = now.AddSeconds(-30).ToString("O"),
                        ["Next"] = now.AddSeconds(30).ToString("O"),
                        ["LastUpdated"] = now.AddSeconds(-30).ToString("O"),
                    },
                    ["IsPastDue"] = false,
                },
            },
            ["Metadata"] = new JsonObject
            {
                ["sys"] = new JsonObject
                {
                    ["MethodName"] = function,
                    ["UtcNow"] = now.ToString("O"),
                    ["RandGuid"] = Guid.NewGuid().ToString(),
                },
            },
        };
        return new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
    }
}
