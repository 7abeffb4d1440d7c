using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ServerlessMonitor.Tests.Hosting;

/// <summary>The Functions app published once for its test collection (`dotnet publish -c Release`), as azd deploys it.</summary>
public sealed class PublishedFunctionsApp : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(8);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "sm-functions-" + Guid.NewGuid().ToString("N"));

    public string PublishDir => Path.Combine(_root, "package");

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ProjectDir => Path.Combine(RepoRoot, "functions", "ServerlessMonitor.Functions");

    /// <summary>functions.metadata: what the Functions host indexes (workerIndexing aside, the same list).</summary>
    public JsonArray Metadata { get; private set; } = [];

    public JsonNode Read(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(PublishDir, file)))!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var publish = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", ProjectDir, "-c", "Release", "-o", PublishDir, "--nologo" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(publish)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(PublishTimeout);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
        Metadata = Read("functions.metadata").AsArray();
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A worker process of a failed test may still hold a file; the temp folder is cleaned up eventually.
        }
        return Task.CompletedTask;
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
